import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { BaseEnv } from '@paychat/config';
import { APP_CONFIG } from './tokens';

export type ReadinessCheck = () => Promise<unknown>;
/** `degraded`: a dependency the app serves without (in a lesser way) is down; readiness holds. */
export type CheckStatus = 'up' | 'down' | 'degraded';

/**
 * Dependencies an app needs before it can serve (its database, its table…). Modules register their
 * own checks; shutdown fails readiness first (`stop`) so the gateway and a load balancer drain the
 * instance. Dependencies it can serve without (Redis for rate limits, chat wake-ups) are shown,
 * never failing it: taking every instance out of the balancer over a cache would turn a
 * degradation into an outage.
 */
@Injectable()
export class Readiness implements OnModuleDestroy {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly degradables = new Map<string, () => { up: boolean }>();
  private readonly stopped = new AbortController();

  constructor(@Inject(APP_CONFIG) private readonly config: BaseEnv) {}

  /**
   * Aborted when shutdown begins (SIGTERM): readiness fails from then on while the app still serves
   * for the grace period, and what only waits (a chat long-poll, a job's next run) ends now.
   */
  get stopping(): AbortSignal {
    return this.stopped.signal;
  }

  /** How long the app keeps serving after failing readiness, for callers to notice and stop sending. */
  get graceMs(): number {
    return this.config.SHUTDOWN_GRACE_MS;
  }

  stop(): void {
    this.stopped.abort();
  }

  /** An app closed without `shutdown` (tests) stops too, before the server waits on long-polls. */
  onModuleDestroy(): void {
    this.stop();
  }

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** A dependency shown as `degraded` while `state().up` is false (read, not probed: no waiting). */
  registerDegradable(name: string, state: () => { up: boolean }): void {
    this.degradables.set(name, state);
  }

  async run(timeoutMs = 2000): Promise<{ ready: boolean; checks: Record<string, CheckStatus> }> {
    const entries = [...this.checks.entries()];
    const results = await Promise.all(
      entries.map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
        });
        try {
          await Promise.race([check(), timeout]);
          return [name, 'up'] as const;
        } catch {
          return [name, 'down'] as const;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const checks: Record<string, CheckStatus> = Object.fromEntries(results);
    for (const [name, state] of this.degradables) checks[name] = state().up ? 'up' : 'degraded';
    return { ready: results.every(([, s]) => s === 'up'), checks };
  }
}
