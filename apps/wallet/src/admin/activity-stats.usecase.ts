import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IdempotencyKeysRepository } from '../idempotency/idempotency-keys.repository';
import { OutboxRepository } from '../outbox/outbox.repository';
import { TransfersRepository } from '../transfers/transfers.repository';

const MINUTE_MS = 60_000;

/** One minute of the series; a minute with no activity has zeros (lags null). */
export interface ActivityMinute {
  at: string;
  transfers: number;
  yen: number;
  eventsDelivered: number;
  deliveryLagAvgMs: number | null;
  deliveryLagMaxMs: number | null;
}

/**
 * The wallet's last `hours` per minute, for charts, from its own tables — each read a bounded
 * range of one index: transfers (primary key, ULIDs by time), delivered outbox events
 * (ix_outbox_pending on delivered_at) and the refusals stored with idempotency keys
 * (ix_idempotency_expires). The current minute is the last, partial one.
 */
@Injectable()
export class ActivityStats {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transfers: TransfersRepository,
    private readonly outbox: OutboxRepository,
    private readonly keys: IdempotencyKeysRepository,
  ) {}

  async execute(hours: number) {
    const m = this.dataSource.manager;
    const now = Date.now();
    const first = Math.floor((now - hours * 3_600_000) / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
    const since = new Date(first);
    const [moved, lag, failures] = await Promise.all([
      this.transfers.perMinute(m, since),
      this.outbox.deliveryLagPerMinute(m, since),
      this.keys.failuresByCode(m, since),
    ]);
    const movedAt = new Map(moved.map((r) => [r.minute, r]));
    const lagAt = new Map(lag.map((r) => [r.minute, r]));
    const minutes: ActivityMinute[] = [];
    for (let t = first; t <= now; t += MINUTE_MS) {
      const at = new Date(t).toISOString();
      const mv = movedAt.get(at);
      const lg = lagAt.get(at);
      minutes.push({
        at,
        transfers: mv?.transfers ?? 0,
        yen: mv?.yen ?? 0,
        eventsDelivered: lg?.delivered ?? 0,
        deliveryLagAvgMs: lg?.avgLagMs ?? null,
        deliveryLagMaxMs: lg?.maxLagMs ?? null,
      });
    }
    return {
      from: since.toISOString(),
      to: new Date(now).toISOString(),
      hours,
      bucketSeconds: 60,
      minutes,
      failures,
    };
  }
}
