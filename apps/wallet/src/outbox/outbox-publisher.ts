import { Inject, Injectable } from '@nestjs/common';
import type { ChatEvent, ChatEventBatchResult, ChatEventResult } from '@paychat/contracts';
import { APP_CONFIG } from '@paychat/platform';
import { type PairKey, postSigned, ServiceKeys } from '@paychat/signing';
import type { WalletEnv } from '../wallet.env';

/** The request that wrote an event, so its delivery can be tied back to it. */
export interface EventOrigin {
  /** Its W3C trace context (`traceparent`, `tracestate`); null when it was not traced. */
  traceContext: Record<string, string> | null;
  /** Its `x-request-id`; null for a background job's event. */
  requestId: string | null;
}

/** An outbox event as it travels; `id` is the row's event id, so the consumer can ignore redeliveries. */
export interface PublishedEvent extends ChatEvent, EventOrigin {
  orderingKey: string;
  occurredAt: string;
}

/** What the consumer is sent of an event: the contract's fields only. */
const toChatEvent = ({
  orderingKey: _key,
  traceContext: _trace,
  requestId: _request,
  ...event
}: PublishedEvent): ChatEvent => event;

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
      {
        baseUrl: this.config.MESSAGES_URL,
        key: this.key,
        timeoutMs: 5_000,
        // One id per call: messages logs the batch under the request that wrote its first event.
        requestId: events[0]?.requestId ?? undefined,
      },
      '/internal/events/batch',
      { events: events.map(toChatEvent) },
    );
    return answer.results;
  }
}
