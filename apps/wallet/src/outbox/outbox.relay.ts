import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction } from '../db/transaction';
import { OutboxDelivery } from './outbox-delivery';
import { OutboxDispatcher } from './outbox-dispatcher';
import type { PublishedEvent } from './outbox-publisher';

interface OutboxRow {
  id: string;
  event_id: string;
  topic: string;
  aggregate_id: string;
  ordering_key: string;
  version: number;
  payload: string;
}

/** Events claimed per round; a full round is followed by another at once (a backlog drains fast). */
const CLAIM = 500;
const MAX_ROUNDS = 20;
/** A claimed batch is leased this long; if this instance dies, another delivers it afterwards. */
const LEASE_SECONDS = 30;

const toEvent = (r: OutboxRow): PublishedEvent => ({
  id: r.event_id,
  topic: r.topic,
  aggregateId: r.aggregate_id,
  orderingKey: r.ordering_key,
  version: r.version,
  payload: JSON.parse(r.payload) as Record<string, unknown>,
});

/**
 * The safety net behind the fast path, at-least-once: delivers what the committing process did not
 * (it crashed, the consumer was down, the lease ran out). Claiming is one short transaction (FOR
 * UPDATE SKIP LOCKED, so replicas share the work, then a lease); an event waits while an older one
 * of its chat is not yet due (in backoff, or leased elsewhere), so a chat's events never overtake.
 * Delivery (OutboxDelivery) runs with no transaction or lock held, batched and in parallel lanes.
 */
@Injectable()
export class OutboxRelay {
  constructor(
    private readonly dataSource: DataSource,
    private readonly delivery: OutboxDelivery,
    private readonly dispatcher: OutboxDispatcher,
  ) {}

  /** Delivers what is due; returns how many events were delivered. */
  async runOnce(): Promise<number> {
    let delivered = 0;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const batch = await this.claim();
      const report = await this.delivery.deliver(batch.map(toEvent));
      delivered += report.delivered;
      if (report.failed > 0) break; // the consumer is in trouble: back to the relay's cadence
      if (batch.length < CLAIM) {
        this.dispatcher.resume(); // nothing left behind: commits may deliver their own events again
        break;
      }
    }
    return delivered;
  }

  private claim(): Promise<OutboxRow[]> {
    return inTransaction(this.dataSource, async (m) => {
      const rows = (await m.query(
        `SELECT o.id, o.event_id, o.topic, o.aggregate_id, o.ordering_key, o.version, o.payload FROM outbox o
         WHERE o.delivered_at IS NULL AND o.available_at <= CURRENT_TIMESTAMP(3)
           AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.ordering_key = o.ordering_key AND e.delivered_at IS NULL AND e.rejected_at IS NULL
                           AND e.id < o.id AND e.available_at > CURRENT_TIMESTAMP(3))
         ORDER BY o.id LIMIT ${CLAIM} FOR UPDATE SKIP LOCKED`,
      )) as OutboxRow[];
      if (rows.length > 0) {
        await m.query(
          `UPDATE outbox SET available_at = CURRENT_TIMESTAMP(3) + INTERVAL ${LEASE_SECONDS} SECOND
           WHERE id IN (${rows.map(() => '?').join(', ')})`,
          rows.map((r) => r.id),
        );
      }
      return rows;
    });
  }
}
