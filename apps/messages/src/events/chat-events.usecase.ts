import { Injectable, Logger } from '@nestjs/common';
import type { ChatEvent, ChatEventBatchResult, ChatEventResult } from '@paychat/contracts';
import { DirectChatEvents } from './direct-chat-events';
import { EventMetrics } from './event-metrics';
import { ChatPost, planEvent } from './event-plan';
import { DUPLICATE, outcomeOf } from './outcomes';

/**
 * Posts what the wallet's outbox relay delivers into the pairs' direct chats (created if absent),
 * idempotently: a transfer and a payment request each have exactly one message (a redelivered or
 * duplicated event adds nothing), and a request's message follows its status only forward (by
 * event version). A batch is grouped by chat: chats in parallel, each chat's events in request
 * order (DirectChatEvents). One result per event, in request order.
 */
@Injectable()
export class ChatEvents {
  private readonly logger = new Logger(ChatEvents.name);

  constructor(
    private readonly chats: DirectChatEvents,
    private readonly metrics: EventMetrics,
  ) {}

  async applyBatch(events: ChatEvent[]): Promise<ChatEventBatchResult> {
    const results: ChatEventResult[] = new Array(events.length);
    const plans = await Promise.all(
      events.map((e) =>
        planEvent(e).then(
          (post) => ({ post }),
          (err: unknown) => ({ err }),
        ),
      ),
    );
    const byChat = new Map<string, { index: number; post: ChatPost }[]>();
    plans.forEach((plan, index) => {
      const { id, topic } = events[index];
      if ('err' in plan) results[index] = { id, ...outcomeOf(plan.err) };
      else if (plan.post) {
        let chat = byChat.get(plan.post.convId);
        if (!chat) byChat.set(plan.post.convId, (chat = []));
        chat.push({ index, post: plan.post });
      } else {
        // Topics only ever grow: acknowledging an unknown one keeps the relay from retrying forever.
        this.logger.warn({ topic, eventId: id }, 'unknown event topic ignored');
        results[index] = { id, ...DUPLICATE };
      }
    });
    const chats = [...byChat.values()];
    const outcomes = await this.chats.apply(chats.map((items) => items.map((i) => i.post)));
    chats.forEach((items, c) =>
      items.forEach(({ index }, k) => (results[index] = { id: events[index].id, ...outcomes[c][k] })),
    );
    this.metrics.record(events, results);
    return { results };
  }
}
