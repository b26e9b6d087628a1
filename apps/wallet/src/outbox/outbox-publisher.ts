import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@paychat/platform';
import { parseSecrets, postSigned } from '@paychat/signing';
import type { WalletEnv } from '../wallet.env';

export interface PublishedEvent {
  /** The outbox row id: unique per event, so the consumer can ignore redeliveries. */
  id: string;
  topic: string;
  aggregateId: string;
  version: number;
  payload: Record<string, unknown>;
}

/** Where outbox events go: the messages service's signed internal endpoint (it posts them into chats). */
export abstract class OutboxPublisher {
  abstract publish(event: PublishedEvent): Promise<void>;
}

@Injectable()
export class HttpOutboxPublisher implements OutboxPublisher {
  private readonly secret: string;

  constructor(@Inject(APP_CONFIG) private readonly config: WalletEnv) {
    const secret = parseSecrets(config.INTERNAL_SECRETS).get('wallet');
    if (!secret) throw new Error('INTERNAL_SECRETS has no secret for wallet');
    this.secret = secret;
  }

  async publish(event: PublishedEvent): Promise<void> {
    await postSigned(
      { baseUrl: this.config.MESSAGES_URL, caller: 'wallet', secret: this.secret, timeoutMs: 5_000 },
      '/internal/events',
      event,
    );
  }
}
