import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '@paychat/platform';
import { inTransaction } from '../db/transaction';
import type { WalletEnv } from '../wallet.env';
import { OutboxDelivery } from './outbox-delivery';
import { OutboxDispatcher } from './outbox-dispatcher';
import { OutboxRepository } from './outbox.repository';

/** Events claimed per round; a full round is followed by another at once (a backlog drains fast). */
const CLAIM = 500;
const MAX_ROUNDS = 20;

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
    private readonly rows: OutboxRepository,
    @Inject(APP_CONFIG) config: WalletEnv,
  ) {
    this.leaseMs = config.OUTBOX_RELAY_LEASE_MS;
  }

  /** Delivers what is due; returns how many events were delivered. */
  async runOnce(): Promise<number> {
    let delivered = 0;
    for (let round = 0; round < MAX_ROUNDS && !this.stopped; round++) {
      const batch = await inTransaction(this.dataSource, (m) => this.rows.claimDue(m, CLAIM, this.leaseMs));
      const report = await this.delivery.deliver(batch, this.leaseMs, 'relay');
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
}
