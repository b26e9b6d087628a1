import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MAX_EVENT_BATCH } from '@paychat/contracts';
import { inDeliverySpan } from '@paychat/telemetry';
import { OutboxLease } from './outbox-lease';
import { OutboxMetrics } from './outbox-metrics';
import { OutboxPublisher, PublishedEvent } from './outbox-publisher';
import { OutboxRepository } from './outbox.repository';

/** Who delivers: the committing process at once (the fast path), or the relay later. */
export type DeliveryPath = 'fast' | 'relay';

/** Batches in flight at once per delivery: chats are spread over them, one chat never in two. */
const LANES = 4;

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
 * so they stay in order behind its first), a rejected event alone. Each batch call is a span linked
 * to the requests that wrote its events: in the request's own trace on the fast path, a trace of
 * its own from the relay (those requests ended long ago).
 */
@Injectable()
export class OutboxDelivery implements OnModuleDestroy {
  private readonly logger = new Logger(OutboxDelivery.name);
  private readonly leases = new Set<OutboxLease>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: OutboxPublisher,
    private readonly rows: OutboxRepository,
    private readonly metrics: OutboxMetrics,
  ) {}

  /** `events` are leased to the caller for `leaseMs`; the lease is kept until the outcome is written. */
  async deliver(events: PublishedEvent[], leaseMs: number, path: DeliveryPath): Promise<DeliveryReport> {
    if (events.length === 0) return { delivered: 0, failed: 0 };
    const ids = events.map((e) => e.id);
    const lease = new OutboxLease(
      () => this.rows.extendLease(this.dataSource, ids, leaseMs),
      leaseMs,
      this.logger,
    );
    this.leases.add(lease);
    let settled: Settled[];
    try {
      settled = (await Promise.all(spread(events).map((lane) => this.sendLane(lane, path)))).flat();
    } finally {
      this.leases.delete(lease);
      await lease.release();
    }
    await this.record(settled);
    const done = settled.filter((s) => s.outcome === 'done').map((s) => s.event);
    this.metrics.delivered(path, done);
    return { delivered: done.length, failed: settled.filter((s) => s.outcome === 'failed').length };
  }

  /** A delivery abandoned by shutdown stops renewing: its leases run out and another replica takes over. */
  onModuleDestroy(): void {
    this.leases.forEach((lease) => lease.stop());
  }

  private async sendLane(lane: PublishedEvent[], path: DeliveryPath): Promise<Settled[]> {
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
        results = await this.publish(chunk, path);
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
        else {
          this.metrics.rejected(event.topic);
          this.logger.warn({ eventId: event.id, topic: event.topic, err: error }, 'outbox event rejected');
        }
        settled.push({ event, outcome, error });
      });
    }
    return settled;
  }

  /** One batch call, as a span linked to the requests that wrote its events. */
  private publish(chunk: PublishedEvent[], path: DeliveryPath) {
    this.metrics.batchSent(path, chunk.length);
    const topics = new Set(chunk.map((e) => e.topic));
    const name = `outbox deliver ${topics.size === 1 ? chunk[0].topic : 'batch'}`;
    return inDeliverySpan(name, chunk, { root: path === 'relay' }, () => this.publisher.publish(chunk));
  }

  private record(settled: Settled[]): Promise<void> {
    const ids = (outcome: Settled['outcome']) =>
      settled.filter((s) => s.outcome === outcome).map((s) => s.event.id);
    const failed = settled.find((s) => s.outcome === 'failed');
    return this.rows.recordOutcomes(this.dataSource, {
      delivered: ids('done'),
      failed: failed?.outcome === 'failed' ? { ids: ids('failed'), error: failed.error } : undefined,
      rejected: settled.flatMap((s) =>
        s.outcome === 'rejected' ? [{ id: s.event.id, error: s.error }] : [],
      ),
    });
  }
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
