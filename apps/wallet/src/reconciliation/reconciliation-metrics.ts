import { Injectable } from '@nestjs/common';
import type { Gauge } from 'prom-client';
import { Metrics } from '@paychat/telemetry';

/** Is the ledger sound: what the last reconciliation pass found, and when the last full pass ran. */
@Injectable()
export class ReconciliationMetrics {
  private readonly mismatches: Gauge;
  private readonly lastFullPass: Gauge;

  constructor(metrics: Metrics) {
    this.mismatches = metrics.gauge({
      name: 'wallet_reconciliation_mismatches',
      help: 'Mismatches the last reconciliation pass (incremental or full) listed, up to 100 a kind; 0 = balanced',
    });
    this.lastFullPass = metrics.gauge({
      name: 'wallet_reconciliation_last_full_pass_timestamp_seconds',
      help: 'When the last full (nightly) reconciliation pass ran, in Unix seconds',
    });
    // Unknown until this process has run or read a pass: no sample, rather than a false 0.
    this.mismatches.remove();
    this.lastFullPass.remove();
  }

  passFinished(mismatches: number): void {
    this.mismatches.set(mismatches);
  }

  /** A full pass ran at `at` (this process's, or another replica's as read from its snapshot). */
  fullPassAt(at: Date): void {
    this.lastFullPass.set(at.getTime() / 1000);
  }
}
