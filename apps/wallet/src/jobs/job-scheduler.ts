import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, Readiness } from '@paychat/platform';
import { OutboxRelay } from '../outbox/outbox.relay';
import { AtmSessions } from '../atm/atm-sessions';
import { jstPeriods } from '../limits/kyc-limits';
import { RecoveryJob } from '../rails/recovery.job';
import { Reconciler } from '../reconciliation/reconciler';
import { PaymentRequests } from '../requests/payment-requests';
import type { WalletEnv } from '../wallet.env';

/**
 * How long closing waits for a job's current run. Longer ones are left behind: each job is safe to
 * stop anywhere (an outbox batch cut short is delivered again once its lease runs out).
 */
const FINISH_WAIT_MS = 1_000;

interface Loop {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
}

/**
 * Runs the wallet's background work in-process: each loop waits for its previous run (no
 * overlap) and every replica may run them (the jobs themselves are safe to run concurrently).
 * No new run starts once shutdown begins (SIGTERM); closing waits at most FINISH_WAIT_MS for the
 * current ones, so a slow batch never holds readiness or the exit.
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(JobScheduler.name);
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: WalletEnv,
    private readonly readiness: Readiness,
    private readonly relay: OutboxRelay,
    private readonly recovery: RecoveryJob,
    private readonly reconciler: Reconciler,
    private readonly requests: PaymentRequests,
    private readonly atm: AtmSessions,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.WALLET_JOBS_ENABLED) return;
    this.readiness.stopping.addEventListener('abort', () => this.stop(), { once: true });
    this.loop({
      name: 'outbox-relay',
      everyMs: this.config.OUTBOX_RELAY_INTERVAL_MS,
      run: () => this.relay.runOnce(),
    });
    this.loop({
      name: 'bank-recovery',
      everyMs: this.config.RECOVERY_INTERVAL_MS,
      run: () => this.recovery.runOnce(),
    });
    this.loop({
      name: 'expiry',
      everyMs: this.config.RECOVERY_INTERVAL_MS,
      run: async () => (await this.requests.expireDue()) + (await this.atm.expireDue()),
    });
    this.loop({
      name: 'reconciliation',
      everyMs: this.config.RECONCILE_INTERVAL_MS,
      run: () => this.reconcile(),
    });
  }

  /** Incremental every interval; the first run of each JST day is the full nightly pass. */
  private async reconcile(): Promise<void> {
    const full = await this.reconciler.fullPassDue(jstPeriods(new Date()).dayStart);
    await this.reconciler.run(full ? 'full' : 'incremental');
  }

  async onModuleDestroy(): Promise<void> {
    this.stop();
    await Promise.race([
      Promise.allSettled([...this.running]),
      sleep(FINISH_WAIT_MS, undefined, { ref: false }),
    ]);
    if (this.running.size > 0) this.logger.warn({ jobs: this.running.size }, 'jobs left running at shutdown');
  }

  private stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
  }

  private loop(loop: Loop): void {
    const tick = () => {
      if (this.stopped) return;
      const run = loop
        .run()
        .catch((err: Error) =>
          // A run left behind at shutdown fails once the pool closes: expected, not an incident.
          this.stopped
            ? this.logger.warn({ err: err.message, job: loop.name }, 'job cut short by shutdown')
            : this.logger.error({ err, job: loop.name }, 'job failed'),
        )
        .finally(() => {
          this.running.delete(run);
          this.schedule(tick, loop.everyMs);
        });
      this.running.add(run);
    };
    // First run soon after boot (a fresh instance reports ledger health within seconds), then on cadence.
    this.schedule(tick, Math.min(loop.everyMs, 1_000));
  }

  private schedule(tick: () => void, ms: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      tick();
    }, ms);
    this.timers.add(timer);
  }
}
