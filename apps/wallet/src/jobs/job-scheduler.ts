import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, Readiness } from '@paychat/platform';
import type { WalletEnv } from '../wallet.env';

/**
 * How long closing waits for a job's current run. Longer ones are left behind: each job is safe to
 * stop anywhere (an outbox batch cut short is delivered again once its lease runs out).
 */
const FINISH_WAIT_MS = 1_000;

/** A feature's background work (registered with backgroundJob). */
export interface Job {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
}

/**
 * Runs the wallet's background work in-process: each job waits for its previous run (no
 * overlap) and every replica may run them (the jobs themselves are safe to run concurrently).
 * Features register their jobs (backgroundJob); all start at bootstrap if WALLET_JOBS_ENABLED.
 * No new run starts once shutdown begins (SIGTERM); closing waits at most FINISH_WAIT_MS for the
 * current ones, so a slow batch never holds readiness or the exit.
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(JobScheduler.name);
  private readonly jobs: Job[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: WalletEnv,
    private readonly readiness: Readiness,
  ) {}

  register(job: Job): Job {
    this.jobs.push(job);
    return job;
  }

  onApplicationBootstrap(): void {
    if (!this.config.WALLET_JOBS_ENABLED) return;
    this.readiness.stopping.addEventListener('abort', () => this.stop(), { once: true });
    for (const job of this.jobs) this.start(job);
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

  private start(job: Job): void {
    const tick = () => {
      if (this.stopped) return;
      const run = job
        .run()
        .catch((err: Error) =>
          // A run left behind at shutdown fails once the pool closes: expected, not an incident.
          this.stopped
            ? this.logger.warn({ err: err.message, job: job.name }, 'job cut short by shutdown')
            : this.logger.error({ err, job: job.name }, 'job failed'),
        )
        .finally(() => {
          this.running.delete(run);
          this.schedule(tick, job.everyMs);
        });
      this.running.add(run);
    };
    // First run soon after boot (a fresh instance reports ledger health within seconds), then on cadence.
    this.schedule(tick, Math.min(job.everyMs, 1_000));
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
