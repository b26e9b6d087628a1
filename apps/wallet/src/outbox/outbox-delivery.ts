import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MAX_EVENT_BATCH } from '@paychat/contracts';
import type { Statement } from '../db/statement';
import { OutboxLease } from './outbox-lease';
import { OutboxPublisher, PublishedEvent } from './outbox-publisher';
import { placeholders } from '../db/placeholders';

/** Batches in flight at once per delivery: chats are spread over them, one chat never in two. */
const LANES = 4;
/** Short: when the messages service is back, every waiting chat moves again within seconds. */
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

/**
 * Delivers outbox events to the consumer and records the outcome — for the fast path and the relay
 * alike. Events are given in write order; each chat's events stay in one lane and in order, lanes
 * run in parallel, each sends batches of up to MAX_EVENT_BATCH. The rows' lease is renewed while
 * they are in flight (OutboxLease). Once an event of a chat fails, the chat's later events are not
 * sent (nothing overtakes). Outcomes are written in one round trip: everything applied is marked
 * delivered by one statement, a failed chat's events are held back together (one backoff per chat,
 * so they stay in order behind its first), a rejected event alone.
 */
@Injectable()
export class OutboxDelivery implements OnModuleDestroy {
  private readonly logger = new Logger(OutboxDelivery.name);
  private readonly leases = new Set<OutboxLease>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: OutboxPublisher,
  ) {}

  /** `events` are leased to the caller for `leaseMs`; the lease is kept until the outcome is written. */
  async deliver(events: PublishedEvent[], leaseMs: number): Promise<DeliveryReport> {
    if (events.length === 0) return { delivered: 0, failed: 0 };
    const ids = events.map((e) => e.id);
    const lease = new OutboxLease(this.dataSource, ids, leaseMs, this.logger);
    this.leases.add(lease);
    let settled: Settled[];
    try {
      settled = (await Promise.all(spread(events).map((lane) => this.sendLane(lane)))).flat();
    } finally {
      this.leases.delete(lease);
      await lease.release();
    }
    await this.record(settled);
    const count = (outcome: Settled['outcome']) => settled.filter((s) => s.outcome === outcome).length;
    return { delivered: count('done'), failed: count('failed') };
  }

  /** A delivery abandoned by shutdown stops renewing: its leases run out and another replica takes over. */
  onModuleDestroy(): void {
    this.leases.forEach((lease) => lease.stop());
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
              WHERE event_id IN (${placeholders(done.length)})`,
        params: done,
      });
    const failed = settled.find((s) => s.outcome === 'failed');
    if (failed && failed.outcome === 'failed') statements.push(holdChats(ids('failed'), failed.error));
    for (const s of settled) if (s.outcome === 'rejected') statements.push(reject(s.event.id, s.error));
    if (statements.length === 0) return;
    await this.dataSource.query(
      statements.map((s) => s.sql).join(';\n'),
      statements.flatMap((s) => s.params),
    );
  }
}

/** Exponential in `attempts`, capped. */
const backoff = (attempts: string, capSeconds: number) =>
  `CURRENT_TIMESTAMP(3) + INTERVAL LEAST(${capSeconds}, POW(2, LEAST(${attempts}, 9))) SECOND`;

/**
 * The failed events' chats wait together: every failed event of a chat becomes due at the same
 * time, from the chat's most-tried one, so none of them can leave before the first.
 */
function holdChats(ids: string[], error: string): Statement {
  const inIds = `event_id IN (${placeholders(ids.length)})`;
  return {
    sql: `UPDATE outbox o JOIN (SELECT ordering_key, MAX(attempts) AS attempts FROM outbox WHERE ${inIds}
                              GROUP BY ordering_key) chat ON chat.ordering_key = o.ordering_key
          SET o.attempts = o.attempts + 1, o.last_error = ?, o.available_at = ${backoff('chat.attempts', MAX_BACKOFF_SECONDS)}
          WHERE o.${inIds}`,
    params: [...ids, error.slice(0, 255), ...ids],
  };
}

/** An event the consumer rejected is retried rarely and stops holding up its chat. */
function reject(id: string, error: string): Statement {
  return {
    sql: `UPDATE outbox SET attempts = attempts + 1, last_error = ?, rejected_at = CURRENT_TIMESTAMP(3),
            available_at = ${backoff('attempts', MAX_REJECTED_BACKOFF_SECONDS)}
          WHERE event_id = ?`,
    params: [error.slice(0, 255), id],
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
