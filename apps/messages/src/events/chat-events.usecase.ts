import { Injectable, Logger } from '@nestjs/common';
import type { ChatEvent, ChatEventBatchResult, ChatEventResult } from '@paychat/contracts';
import { DirectChatEvents } from './direct-chat-events';
import { ChatPost, planEvent } from './event-plan';
import { DUPLICATE, outcomeOf } from './outcomes';

/** Chats of one batch applied at once: enough to hide DynamoDB latency, bounded for its throughput. */
const CHATS_IN_PARALLEL = 16;

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

  constructor(private readonly chats: DirectChatEvents) {}

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
    await inParallel([...byChat], CHATS_IN_PARALLEL, async ([convId, items]) => {
      const outcomes = await this.chats.apply(
        convId,
        items.map((i) => i.post),
      );
      items.forEach(({ index }, k) => (results[index] = { id: events[index].id, ...outcomes[k] }));
    });
    return { results };
  }
}

/** Runs `work` over the items with at most `limit` at a time. */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
