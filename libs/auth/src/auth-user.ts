/** The caller, as proven by a verified Cognito access token. */
export interface AuthUser {
  /** Cognito's subject: stable per user pool, mapped to our own user id by the wallet. */
  sub: string;
  issuer: string;
  username: string;
  groups: string[];
  clientId: string;
  /** The bearer token itself, forwarded to services that verify it again themselves. */
  accessToken: string;
  expiresAt: number;
  /** The login the token descends from (`origin_jti`), revoked as a whole at logout. */
  sessionId?: string;
  /** Our own user id (ULID), when the app maps identities to users (see CallerResolver). */
  userId?: string;
}

/**
 * Maps a verified token to the app's own user (and refuses disabled ones, with a 401). An app that
 * keeps users provides it under CALLER_RESOLVER; what it returns is merged into the request's
 * AuthUser. `requestId` is the request's, for any call the resolver makes to another service.
 */
export interface CallerResolver {
  resolve(user: AuthUser, requestId: string): Promise<{ userId: string } & Record<string, unknown>>;
}

export const CALLER_RESOLVER = Symbol('CALLER_RESOLVER');
