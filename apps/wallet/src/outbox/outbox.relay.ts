import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UpstreamError } from '@paychat/signing';
import { inTransaction } from '../db/transaction';
import { OutboxPublisher } from './outbox-publisher';

interface OutboxRow {
  id: string;
  topic: string;
  aggregate_id: string;
  version: number;
  payload: string;
  attempts: number;
}

const BATCH = 50;
/** A claimed batch is leased this long; if this instance dies, another delivers it afterwards. */
const LEASE_SECONDS = 30;
/** Short: when the messages service is back, every waiting event reaches the chat within seconds. */
const MAX_BACKOFF_SECONDS = 10;
/** An event the consumer rejected (4xx) will not fix itself soon: it is tried rarely, until someone looks. */
const MAX_REJECTED_BACKOFF_SECONDS = 300;

/**
 * At-least-once delivery of outbox events. Claiming is one short transaction (FOR UPDATE SKIP
 * LOCKED, so replicas share the work, then a lease); delivering happens with no transaction or
 * lock held; each event is then marked delivered or rescheduled with exponential backoff. After
 * the first failure in a batch the rest of it is rescheduled untried: a down consumer costs one
 * attempt per batch, not one per event.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: OutboxPublisher,
  ) {}

  /** Delivers what is due; returns how many events were delivered. */
  async runOnce(): Promise<number> {
    const batch = await this.claim();
    let delivered = 0;
    let failure: Error | undefined;
    for (const row of batch) {
      try {
        if (failure) throw failure;
        await this.publisher.publish({
          id: String(row.id),
          topic: row.topic,
          aggregateId: row.aggregate_id,
          version: row.version,
          payload: JSON.parse(row.payload) as Record<string, unknown>,
        });
        await this.dataSource.query(
          'UPDATE outbox SET delivered_at = CURRENT_TIMESTAMP(3), last_error = NULL WHERE id = ?',
          [row.id],
        );
        delivered++;
      } catch (err) {
        if (err !== failure)
          this.logger.warn(
            { eventId: row.id, topic: row.topic, attempts: row.attempts, err: (err as Error).message },
            'outbox delivery failed',
          );
        // A 4xx is about this event alone; anything else means the consumer is down or failing.
        const rejected = err instanceof UpstreamError && err.status !== undefined && err.status < 500;
        if (!rejected) failure = err as Error;
        const cap = rejected ? MAX_REJECTED_BACKOFF_SECONDS : MAX_BACKOFF_SECONDS;
        const backoff = Math.min(cap, 2 ** Math.min(row.attempts, 9));
        await this.dataSource.query(
          'UPDATE outbox SET available_at = CURRENT_TIMESTAMP(3) + INTERVAL ? SECOND, last_error = ? WHERE id = ?',
          [backoff, (err as Error).message.slice(0, 255), row.id],
        );
      }
    }
    return delivered;
  }

  private claim(): Promise<OutboxRow[]> {
    return inTransaction(this.dataSource, async (m) => {
      const rows = (await m.query(
        `SELECT id, topic, aggregate_id, version, payload, attempts FROM outbox
         WHERE delivered_at IS NULL AND available_at <= CURRENT_TIMESTAMP(3) ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      )) as OutboxRow[];
      if (rows.length > 0) {
        await m.query(
          `UPDATE outbox SET attempts = attempts + 1, available_at = CURRENT_TIMESTAMP(3) + INTERVAL ${LEASE_SECONDS} SECOND
           WHERE id IN (${rows.map(() => '?').join(', ')})`,
          rows.map((r) => r.id),
        );
      }
      return rows.map((r) => ({ ...r, attempts: r.attempts + 1 }));
    });
  }
}
