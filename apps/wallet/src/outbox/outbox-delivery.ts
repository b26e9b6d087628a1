import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MAX_EVENT_BATCH } from '@paychat/contracts';
import type { Statement } from '../db/statement';
import { OutboxPublisher, PublishedEvent } from './outbox-publisher';

/** Batches in flight at once per delivery: chats are spread over them, one chat never in two. */
const LANES = 4;
/** Short: when the messages service is back, every waiting event reaches the chat within seconds. */
const MAX_BACKOFF_SECONDS = 10;
/** An event the consumer rejected will not fix itself soon: it is tried rarely, until someone looks. */
const MAX_REJECTED_BACKOFF_SECONDS = 300;

type Settled = { event: PublishedEvent } & (
  { outcome: 'done' } | { outcome: 'rejected' | 'failed'; error: string }
);

export interface DeliveryReport {
  delivered: number;
  /** Events left for a retry soon (the consumer is down or failing): the caller should back off. */
  failed: number;
}

const list = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * Delivers outbox events to the consumer and records the outcome — for the fast path and the relay
 * alike. Events are given in write order; each chat's events stay in one lane and in order, lanes
 * run in parallel, each sends batches of up to MAX_EVENT_BATCH. Once an event of a chat fails, the
 * chat's later events are not sent (nothing overtakes). Outcomes are written in one round trip:
 * everything applied is marked delivered by one statement, the rest rescheduled with backoff.
 */
@Injectable()
export class OutboxDelivery {
  private readonly logger = new Logger(OutboxDelivery.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: OutboxPublisher,
  ) {}

  async deliver(events: PublishedEvent[]): Promise<DeliveryReport> {
    if (events.length === 0) return { delivered: 0, failed: 0 };
    const settled = (await Promise.all(spread(events).map((lane) => this.sendLane(lane)))).flat();
    await this.record(settled);
    const count = (outcome: Settled['outcome']) => settled.filter((s) => s.outcome === outcome).length;
    return { delivered: count('done'), failed: count('failed') };
  }

  private async sendLane(lane: PublishedEvent[]): Promise<Settled[]> {
    const settled: Settled[] = [];
    const stuck = new Map<string, string>(); // chat → why its later events wait
    for (let i = 0; i < lane.length; i += MAX_EVENT_BATCH) {
      const chunk: PublishedEvent[] = [];
      for (const event of lane.slice(i, i + MAX_EVENT_BATCH)) {
        const why = stuck.get(event.orderingKey);
        if (why) settled.push({ event, outcome: 'failed', error: why });
        else chunk.push(event);
      }
      if (chunk.length === 0) continue;
      let results;
      try {
        results = await this.publisher.publish(chunk);
      } catch (err) {
        const error = (err as Error).message;
        this.logger.warn({ events: chunk.length, err: error }, 'outbox delivery failed');
        for (const event of chunk) stuck.set(event.orderingKey, error);
        settled.push(...chunk.map((event) => ({ event, outcome: 'failed' as const, error })));
        continue;
      }
      chunk.forEach((event, n) => {
        const r = results[n];
        if (r?.id === event.id && (r.outcome === 'applied' || r.outcome === 'duplicate')) {
          settled.push({ event, outcome: 'done' });
          return;
        }
        const error = r ? `${r.outcome}: ${r.code ?? ''} ${r.detail ?? ''}`.trim() : 'no result';
        const outcome = r?.outcome === 'rejected' ? 'rejected' : 'failed';
        if (outcome === 'failed') stuck.set(event.orderingKey, error);
        else this.logger.warn({ eventId: event.id, topic: event.topic, err: error }, 'outbox event rejected');
        settled.push({ event, outcome, error });
      });
    }
    return settled;
  }

  private async record(settled: Settled[]): Promise<void> {
    const ids = (outcome: Settled['outcome']) =>
      settled.filter((s) => s.outcome === outcome).map((s) => s.event.id);
    const statements: Statement[] = [];
    const done = ids('done');
    if (done.length)
      statements.push({
        sql: `UPDATE outbox SET delivered_at = CURRENT_TIMESTAMP(3), last_error = NULL, rejected_at = NULL
              WHERE event_id IN (${list(done.length)})`,
        params: done,
      });
    const failed = settled.find((s) => s.outcome === 'failed');
    if (failed && failed.outcome === 'failed')
      statements.push(reschedule(ids('failed'), MAX_BACKOFF_SECONDS, failed.error, false));
    for (const s of settled)
      if (s.outcome === 'rejected')
        statements.push(reschedule([s.event.id], MAX_REJECTED_BACKOFF_SECONDS, s.error, true));
    if (statements.length === 0) return;
    await this.dataSource.query(
      statements.map((s) => s.sql).join(';\n'),
      statements.flatMap((s) => s.params),
    );
  }
}

/** Exponential backoff from the event's attempts, capped; a rejected event stops holding up its chat. */
function reschedule(ids: string[], capSeconds: number, error: string, rejected: boolean): Statement {
  return {
    sql: `UPDATE outbox SET attempts = attempts + 1, last_error = ?, ${rejected ? 'rejected_at = CURRENT_TIMESTAMP(3),' : ''}
            available_at = CURRENT_TIMESTAMP(3) + INTERVAL LEAST(?, POW(2, LEAST(attempts, 9))) SECOND
          WHERE event_id IN (${list(ids.length)})`,
    params: [error.slice(0, 255), capSeconds, ...ids],
  };
}

/** Whole chats to the least loaded lane; each lane keeps the events' write order. */
function spread(events: PublishedEvent[]): PublishedEvent[][] {
  const byChat = new Map<string, PublishedEvent[]>();
  for (const e of events) {
    const chat = byChat.get(e.orderingKey);
    if (chat) chat.push(e);
    else byChat.set(e.orderingKey, [e]);
  }
  const lanes: PublishedEvent[][] = Array.from({ length: Math.min(LANES, byChat.size) }, () => []);
  for (const chat of byChat.values()) lanes.reduce((a, b) => (b.length < a.length ? b : a)).push(...chat);
  const order = new Map(events.map((e, i) => [e.id, i]));
  return lanes.map((lane) => lane.sort((a, b) => order.get(a.id)! - order.get(b.id)!));
}
