import { Inject, Injectable } from '@nestjs/common';
import type { ChatEvent, ChatEventBatchResult, ChatEventResult } from '@paychat/contracts';
import { APP_CONFIG } from '@paychat/platform';
import { type PairKey, postSigned, ServiceKeys } from '@paychat/signing';
import type { WalletEnv } from '../wallet.env';

/** An outbox event as it travels; `id` is the row's event id, so the consumer can ignore redeliveries. */
export interface PublishedEvent extends ChatEvent {
  orderingKey: string;
}

/** Where outbox events go: the messages service's signed batch endpoint (it posts them into chats). */
export abstract class OutboxPublisher {
  /** One result per event, in order; throws when the consumer could not be asked (down, 5xx, timeout). */
  abstract publish(events: PublishedEvent[]): Promise<ChatEventResult[]>;
}

@Injectable()
export class HttpOutboxPublisher implements OutboxPublisher {
  private readonly key: PairKey;

  constructor(@Inject(APP_CONFIG) private readonly config: WalletEnv) {
    this.key = ServiceKeys.parse(config.INTERNAL_SECRETS, 'wallet').signingKey('messages');
  }

  async publish(events: PublishedEvent[]): Promise<ChatEventResult[]> {
    const answer = await postSigned<ChatEventBatchResult>(
      { baseUrl: this.config.MESSAGES_URL, key: this.key, timeoutMs: 5_000 },
      '/internal/events/batch',
      { events: events.map(({ orderingKey: _key, ...event }) => event) },
    );
    return answer.results;
  }
}
