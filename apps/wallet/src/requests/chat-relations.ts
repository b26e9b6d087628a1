import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError } from '@paychat/errors';
import { APP_CONFIG, currentRequestId } from '@paychat/platform';
import { type PairKey, postSigned, ServiceKeys } from '@paychat/signing';
import type { WalletEnv } from '../wallet.env';

/** Short: the caller waits on it, holding nothing; a slow messages service is a quick 503. */
const TIMEOUT_MS = 2_000;

interface PairRelation {
  sharesChat: boolean;
  blocked: boolean;
}

/**
 * Chats and blocks live in the messages service; the wallet asks it, with a signed
 * `/internal/relations/lookup`, whether a requester may ask a payer for money: they share a chat
 * (their direct chat exists, or a group has both) and neither has blocked the other. Without an
 * answer nothing is written: 503 `service_unavailable` with Retry-After.
 */
@Injectable()
export class ChatRelations {
  private readonly logger = new Logger(ChatRelations.name);
  private readonly key: PairKey;

  constructor(@Inject(APP_CONFIG) private readonly config: WalletEnv) {
    this.key = ServiceKeys.parse(config.INTERNAL_SECRETS, 'wallet').signingKey('messages');
  }

  async assertMayAsk(requesterId: string, payerId: string): Promise<void> {
    const relation = await this.lookup(requesterId, payerId);
    if (relation.blocked)
      throw new AppError('blocked', 'One of you has blocked the other, so you cannot ask them for money');
    if (!relation.sharesChat)
      throw new AppError('no_shared_chat', 'You can only ask someone you share a chat with for money');
  }

  private async lookup(userId: string, otherUserId: string): Promise<PairRelation> {
    try {
      return await postSigned<PairRelation>(
        {
          baseUrl: this.config.MESSAGES_URL,
          key: this.key,
          timeoutMs: TIMEOUT_MS,
          requestId: currentRequestId(),
        },
        '/internal/relations/lookup',
        { userId, otherUserId },
      );
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'chat relations unavailable');
      throw new AppError('service_unavailable', 'Chats cannot be checked right now; try again', undefined, {
        'retry-after': '2',
      });
    }
  }
}
