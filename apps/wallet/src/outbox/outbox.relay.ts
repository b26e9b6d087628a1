import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '@paychat/platform';
import type { Sql } from '../db/sql';
import { inTransaction } from '../db/transaction';
import type { WalletEnv } from '../wallet.env';
import { OutboxDelivery } from './outbox-delivery';
import { OutboxDispatcher } from './outbox-dispatcher';
import type { PublishedEvent } from './outbox-publisher';
import { placeholders } from '../db/placeholders';

interface OutboxRow {
  id: string;
  event_id: string;
  topic: string;
  aggregate_id: string;
  ordering_key: string;
  version: number;
  payload: string;
  created_at: Date;
}

/** Events claimed per round; a full round is followed by another at once (a backlog drains fast). */
const CLAIM = 500;
const MAX_ROUNDS = 20;

const toEvent = (r: OutboxRow): PublishedEvent => ({
  id: r.event_id,
  topic: r.topic,
  aggregateId: r.aggregate_id,
  orderingKey: r.ordering_key,
  version: r.version,
  occurredAt: r.created_at.toISOString(),
  payload: JSON.parse(r.payload) as Record<string, unknown>,
});

/**
 * The safety net behind the fast path, at-least-once: delivers what the committing process did not
 * (it crashed, the consumer was down, the lease ran out). Claiming is one short transaction (FOR
 * UPDATE SKIP LOCKED, so replicas share the work, then a lease of OUTBOX_RELAY_LEASE_MS, renewed
 * while the delivery is in flight: a crashed relay's events move on after one lease). Per chat,
 * strictly first in, first out: an event is claimed only when every older pending event of its chat
 * is claimed with it (an older one in backoff, leased to the fast path or claimed by another relay
 * holds it back) — except behind a rejected one. Delivery (OutboxDelivery) runs with no
 * transaction or lock held, batched and in parallel lanes.
 */
@Injectable()
export class OutboxRelay implements OnModuleDestroy {
  private readonly leaseMs: number;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly delivery: OutboxDelivery,
    private readonly dispatcher: OutboxDispatcher,
    @Inject(APP_CONFIG) config: WalletEnv,
  ) {
    this.leaseMs = config.OUTBOX_RELAY_LEASE_MS;
  }

  /** Delivers what is due; returns how many events were delivered. */
  async runOnce(): Promise<number> {
    let delivered = 0;
    for (let round = 0; round < MAX_ROUNDS && !this.stopped; round++) {
      const batch = await this.claim();
      const report = await this.delivery.deliver(batch.map(toEvent), this.leaseMs);
      delivered += report.delivered;
      if (report.failed > 0) break; // the consumer is in trouble: back to the relay's cadence
      if (batch.length < CLAIM) {
        this.dispatcher.resume(); // nothing left behind: commits may deliver their own events again
        break;
      }
    }
    return delivered;
  }

  /** Shutting down: no new round starts (one in flight may be abandoned: its lease runs out). */
  onModuleDestroy(): void {
    this.stopped = true;
  }

  private claim(): Promise<OutboxRow[]> {
    return inTransaction(this.dataSource, async (m) => {
      const rows = (await m.query(
        `SELECT o.id, o.event_id, o.topic, o.aggregate_id, o.ordering_key, o.version, o.payload, o.created_at FROM outbox o
         WHERE o.delivered_at IS NULL AND o.available_at <= CURRENT_TIMESTAMP(3)
           AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.ordering_key = o.ordering_key AND e.delivered_at IS NULL AND e.rejected_at IS NULL
                           AND e.id < o.id AND e.available_at > CURRENT_TIMESTAMP(3))
         ORDER BY o.id LIMIT ${CLAIM} FOR UPDATE SKIP LOCKED`,
      )) as OutboxRow[];
      const claimed = await firstInLine(m, rows);
      if (claimed.length > 0) {
        await m.query(
          `UPDATE outbox SET available_at = CURRENT_TIMESTAMP(3) + INTERVAL ? MICROSECOND
           WHERE id IN (${placeholders(claimed.length)})`,
          [this.leaseMs * 1000, ...claimed.map((r) => r.id)],
        );
      }
      return claimed;
    });
  }
}

/**
 * The rows with no older pending (undelivered, not rejected) event of their chat outside `rows`.
 * The claim's own check sees events in backoff or leased; this one also sees those SKIP LOCKED
 * passed over because another relay is claiming them at this very moment (not leased yet).
 */
async function firstInLine(m: Sql, rows: OutboxRow[]): Promise<OutboxRow[]> {
  if (rows.length === 0) return rows;
  const chats = [...new Set(rows.map((r) => r.ordering_key))];
  const ids = rows.map((r) => r.id);
  const blockers = (await m.query(
    `SELECT ordering_key, MIN(id) AS id FROM outbox
     WHERE ordering_key IN (${placeholders(chats.length)}) AND delivered_at IS NULL AND rejected_at IS NULL
       AND id NOT IN (${placeholders(ids.length)})
     GROUP BY ordering_key`,
    [...chats, ...ids],
  )) as { ordering_key: string; id: string }[];
  const blocker = new Map(blockers.map((b) => [b.ordering_key, BigInt(b.id)]));
  return rows.filter((r) => {
    const first = blocker.get(r.ordering_key);
    return first === undefined || BigInt(r.id) < first;
  });
}
