import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, currentRequestId } from '@paychat/platform';
import { captureTraceContext } from '@paychat/telemetry';
import { onCommit } from '../db/commit-hooks';
import { newId } from '../db/new-id';
import type { Sql } from '../db/sql';
import type { Statement } from '../db/statement';
import type { WalletEnv } from '../wallet.env';
import { OutboxDispatcher } from './outbox-dispatcher';
import { OutboxRepository } from './outbox.repository';

export interface OutboxEvent {
  /** e.g. `transfer.created`; consumers switch on it. */
  topic: string;
  aggregateId: string;
  /** Increases with every change of the aggregate, so a consumer can drop stale events. */
  version: number;
  /** Events with the same key (their chat) are delivered in the order they were written. */
  orderingKey: string;
  /**
   * When the change happened (default: now) — the time its chat message shows. Pass the change's
   * own timestamp (a transfer's created_at) so the chat and the wallet agree to the millisecond.
   */
  occurredAt?: Date;
  payload: Record<string, unknown>;
}

/**
 * Events are written in the caller's transaction: they exist if and only if the change committed.
 * Once it has, the committing process hands them to delivery at once (OutboxDispatcher); the row
 * is leased to that fast path for a few seconds, after which the relay delivers whatever it missed.
 * Each row keeps the writing request's trace context and id, so its delivery links back to it.
 */
@Injectable()
export class Outbox {
  private readonly leaseMs: number;

  constructor(
    private readonly dispatcher: OutboxDispatcher,
    private readonly rows: OutboxRepository,
    @Inject(APP_CONFIG) config: WalletEnv,
  ) {
    this.leaseMs = config.OUTBOX_FAST_PATH_LEASE_MS;
  }

  /** The insert as a statement, to travel in the same round trip as the ledger's writes of `tx`. */
  insert(tx: Sql, event: OutboxEvent): Statement {
    const eventId = newId();
    const { occurredAt = new Date(), ...rest } = event;
    const origin = { traceContext: captureTraceContext(), requestId: currentRequestId() ?? null };
    const published = { id: eventId, ...rest, ...origin, occurredAt: occurredAt.toISOString() };
    const fast = this.dispatcher.accepting && onCommit(tx, () => this.dispatcher.dispatch(published));
    return this.rows.insert({ ...event, ...origin, eventId, occurredAt }, fast ? this.leaseMs : 0);
  }
}
