import { Injectable } from '@nestjs/common';
import { errors as joseErrors } from 'jose';
import type { Counter } from 'prom-client';
import { Metrics } from '@paychat/telemetry';

/** Why a caller's token was refused: a fixed set, so the label stays bounded (never the token or user). */
export type TokenRejectionReason =
  | 'missing'
  | 'malformed'
  | 'expired'
  | 'invalid_signature'
  | 'wrong_claims'
  | 'revoked'
  | 'not_admin'
  | 'disabled_user'
  | 'unavailable';

/** `auth_token_rejections_total{reason}`: one per refused request, wherever it was refused (edge or service). */
@Injectable()
export class TokenRejections {
  private readonly rejections: Counter<'reason'>;

  constructor(metrics: Metrics) {
    this.rejections = metrics.counter({
      name: 'auth_token_rejections_total',
      help: 'Requests refused for their access token, by reason',
      labelNames: ['reason'],
    });
  }

  count(reason: TokenRejectionReason): void {
    this.rejections.inc({ reason });
  }
}

/** What a verification error from jose says about the token. */
export function rejectionReasonOf(err: InstanceType<typeof joseErrors.JOSEError>): TokenRejectionReason {
  if (err instanceof joseErrors.JWTExpired) return 'expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return 'wrong_claims';
  const unverifiable = [
    joseErrors.JWSSignatureVerificationFailed,
    joseErrors.JWKSNoMatchingKey, // signed with a key the pool does not have
    joseErrors.JWKSMultipleMatchingKeys,
    joseErrors.JOSEAlgNotAllowed, // `alg: none` among others
  ];
  return unverifiable.some((kind) => err instanceof kind) ? 'invalid_signature' : 'malformed';
}
