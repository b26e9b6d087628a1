import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '@paychat/platform';
import { Metrics } from '@paychat/telemetry';
import { ScrapeTimeReading } from '../metrics/scrape-time-reading';
import type { WalletEnv } from '../wallet.env';
import { type PendingSummary, RailRows } from './rail-rows';

/**
 * Bank operations waiting on the bank, per rail (charges, withdrawals): how many, how many are
 * overdue (no answer within the time after which the recovery job asks), and the oldest one's age.
 * Read from the tables at scrape time.
 */
@Injectable()
export class RailMetrics {
  constructor(
    metrics: Metrics,
    dataSource: DataSource,
    rows: RailRows,
    @Inject(APP_CONFIG) config: WalletEnv,
  ) {
    const pending = new ScrapeTimeReading('rail operations pending', () =>
      rows.pendingSummary(dataSource, config.RECOVERY_AFTER_MS),
    );
    const gauge = (name: string, help: string, value: (rail: PendingSummary) => number) =>
      pending.gauge(metrics, { name, help, labelNames: ['rail'] }, (rails) =>
        rails.map((rail) => ({ labels: { rail: rail.rail }, value: value(rail) })),
      );
    gauge('wallet_rail_operations_pending', 'Bank operations waiting on the bank', (r) => r.pending);
    gauge(
      'wallet_rail_operations_overdue',
      'Bank operations with no answer past the recovery deadline (RECOVERY_AFTER_MS)',
      (r) => r.overdue,
    );
    gauge(
      'wallet_rail_operations_oldest_pending_age_seconds',
      'Age of the oldest bank operation waiting on the bank; 0 when none',
      (r) => r.oldestAgeSeconds,
    );
  }
}
