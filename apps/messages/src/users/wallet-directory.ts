import { Inject, Injectable, Logger } from '@nestjs/common';
import { type AuthUser, CallerCache, type CallerResolver } from '@paychat/auth';
import { AppError } from '@paychat/errors';
import { APP_CONFIG, currentRequestId, REQUEST_ID_HEADER } from '@paychat/platform';
import { type PairKey, postSigned, ServiceKeys, UpstreamError } from '@paychat/signing';
import type { MessagesEnv } from '../messages.env';

const TIMEOUT_MS = 3_000;

/**
 * Users live in the wallet (`users`, `identities(issuer, sub) → userId`); chats name members by
 * that user id. The caller is resolved by asking the wallet's own `GET /v2/me` with the caller's
 * token — the wallet verifies it again, provisions a first-time user and refuses a disabled one —
 * cached for 30 s. Members are checked with a signed `/internal/users/lookup`. Both calls carry the
 * request id of the request they serve (the guard hands it to `resolve`; handlers' code has
 * currentRequestId), so the wallet's log lines join this one's.
 */
@Injectable()
export class WalletDirectory implements CallerResolver {
  private readonly logger = new Logger(WalletDirectory.name);
  private readonly cache = new CallerCache<{ userId: string }>();
  private readonly key: PairKey;

  constructor(@Inject(APP_CONFIG) private readonly config: MessagesEnv) {
    this.key = ServiceKeys.parse(config.INTERNAL_SECRETS, 'messages').signingKey('wallet');
  }

  resolve(user: AuthUser, requestId: string): Promise<{ userId: string }> {
    return this.cache.remember(user, async () => ({ userId: await this.me(user.accessToken, requestId) }));
  }

  /** The subset of `userIds` that are active users (unknown and disabled ones are left out). */
  async activeUsers(userIds: string[]): Promise<Set<string>> {
    try {
      const out = await postSigned<{ users: { userId: string }[] }>(
        {
          baseUrl: this.config.WALLET_URL,
          key: this.key,
          timeoutMs: TIMEOUT_MS,
          requestId: currentRequestId(),
        },
        '/internal/users/lookup',
        { userIds },
      );
      return new Set(out.users.map((u) => u.userId));
    } catch (err) {
      throw this.unavailable(err as Error);
    }
  }

  private async me(accessToken: string, requestId: string): Promise<string> {
    let response: Response;
    try {
      response = await fetch(new URL('/v2/me', this.config.WALLET_URL), {
        headers: { authorization: `Bearer ${accessToken}`, [REQUEST_ID_HEADER]: requestId },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw this.unavailable(err as Error);
    }
    if (response.status === 401) throw new AppError('unauthorized', 'This account cannot be used');
    if (!response.ok) throw this.unavailable(new UpstreamError(`GET /v2/me answered ${response.status}`));
    return ((await response.json()) as { userId: string }).userId;
  }

  private unavailable(err: Error): AppError {
    this.logger.warn({ err: err.message }, 'wallet directory unavailable');
    return new AppError('service_unavailable', 'The user directory is unavailable; try again', undefined, {
      'retry-after': '2',
    });
  }
}
