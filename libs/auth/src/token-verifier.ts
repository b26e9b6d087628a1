import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import { AppError } from '@paychat/errors';
import { APP_CONFIG } from '@paychat/platform';
import type { AuthUser } from './auth-user';
import { CognitoEnv, cognitoIssuer } from './cognito.env';
import { RevokedSessions } from './revoked-sessions';
import { rejectionReasonOf, TokenRejections, type TokenRejectionReason } from './token-rejections';

const MAX_CACHED_TOKENS = 20_000;
/** How long past `exp` a token still verifies (clock skew between Cognito and us). */
export const CLOCK_TOLERANCE_SECONDS = 5;

const invalidToken = (detail: string) =>
  new AppError('unauthorized', detail, undefined, { 'www-authenticate': 'Bearer error="invalid_token"' });

/**
 * Verifies Cognito access tokens: RS256 signature against the pool's JWKS (cached, refetched on an
 * unknown `kid` at most every 30 s), `iss`, `exp`, `token_use=access` and our app client's `client_id`;
 * then, on every call, that its session was not logged out (RevokedSessions). Every refusal is
 * counted by reason (TokenRejections).
 */
@Injectable()
export class TokenVerifier {
  private readonly issuer: string;
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: CognitoEnv,
    private readonly revoked: RevokedSessions,
    private readonly rejections: TokenRejections,
  ) {
    this.issuer = cognitoIssuer(config);
    this.jwks = createRemoteJWKSet(new URL(`${this.issuer}/.well-known/jwks.json`), {
      cacheMaxAge: 10 * 60_000,
      cooldownDuration: 30_000,
      timeoutDuration: 3_000,
    });
  }

  /** Tokens already verified, until they expire: a client sends the same one many times. */
  private readonly verified = new LRUCache<string, AuthUser>({ max: MAX_CACHED_TOKENS });

  /** The caller of an `Authorization: Bearer …` header; a 401 when it is absent, malformed or refused. */
  verifyBearer(authorization: string | undefined): Promise<AuthUser> {
    const token = bearerToken(authorization);
    if (token) return this.verify(token);
    throw this.refuse(
      authorization ? 'malformed' : 'missing',
      new AppError('unauthorized', 'Bearer access token required', undefined, {
        'www-authenticate': 'Bearer',
      }),
    );
  }

  /** A 403 unless the caller is in the admin group. */
  assertAdmin(user: AuthUser): void {
    if (!user.groups.includes(this.config.COGNITO_ADMIN_GROUP))
      throw this.refuse('not_admin', new AppError('forbidden', 'Admin group required'));
  }

  /** `error`, counted as a refusal for `reason`. */
  private refuse(reason: TokenRejectionReason, error: AppError): AppError {
    this.rejections.count(reason);
    return error;
  }

  async verify(token: string): Promise<AuthUser> {
    let user = this.verified.get(token);
    if (!user) {
      user = await this.verifyOnce(token);
      // Kept until `exp` only; one already past it (within the clock tolerance) is not kept at all.
      const ttl = user.expiresAt * 1000 - Date.now();
      if (ttl > 0) this.verified.set(token, user, { ttl });
    }
    // Outside the cache on purpose: a local lookup, so a logout counts on the next request.
    if (this.revoked.isRevoked(user.sessionId))
      throw this.refuse('revoked', invalidToken('Access token revoked (logged out)'));
    return user;
  }

  private async verifyOnce(token: string): Promise<AuthUser> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, {
        issuer: this.issuer,
        algorithms: ['RS256'],
        requiredClaims: ['sub', 'exp', 'token_use', 'client_id'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (err) {
      // Our side failing to fetch keys is not the caller's fault: 503, not 401.
      if (err instanceof joseErrors.JWKSTimeout || !(err instanceof joseErrors.JOSEError)) {
        throw this.refuse(
          'unavailable',
          new AppError('service_unavailable', 'Token keys are unavailable; try again'),
        );
      }
      throw this.refuse(
        rejectionReasonOf(err),
        invalidToken(err instanceof joseErrors.JWTExpired ? 'Access token expired' : 'Invalid access token'),
      );
    }
    if (payload.token_use !== 'access')
      throw this.refuse('wrong_claims', invalidToken('An access token is required'));
    if (payload.client_id !== this.config.COGNITO_CLIENT_ID)
      throw this.refuse('wrong_claims', invalidToken('Token was issued to another client'));
    const groups = payload['cognito:groups'];
    return {
      sub: payload.sub as string,
      issuer: this.issuer,
      username: String(payload.username ?? payload.sub),
      groups: Array.isArray(groups) ? groups.map(String) : [],
      clientId: payload.client_id as string,
      accessToken: token,
      expiresAt: payload.exp as number,
      sessionId: sessionOf(payload),
    };
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer ([A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]+\.?[A-Za-z0-9\-_.+/=]*)$/.exec(header ?? '');
  return match?.[1];
}

/** The login a token descends from: Cognito's `origin_jti` (shared by refreshed tokens), else `jti`. */
export function sessionOf(payload: { origin_jti?: unknown; jti?: unknown }): string | undefined {
  const id = payload.origin_jti ?? payload.jti;
  return typeof id === 'string' ? id : undefined;
}
