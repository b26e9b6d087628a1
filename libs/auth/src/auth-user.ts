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
}
