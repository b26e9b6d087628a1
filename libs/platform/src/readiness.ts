import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { BaseEnv } from '@paychat/config';
import { APP_CONFIG } from './tokens';

export type ReadinessCheck = () => Promise<unknown>;
/** `degraded`: a dependency the app serves without (in a lesser way) is down; readiness holds. */
export type CheckStatus = 'up' | 'down' | 'degraded';

/**
 * Dependencies an app needs before it can serve (its database, its table…). Modules register their
 * own checks; shutdown flips readiness off first so a load balancer drains the instance. Dependencies
 * it can serve without (Redis for rate limits, chat wake-ups) are shown, never failing it: taking
 * every instance out of the balancer over a cache would turn a degradation into an outage.
 */
@Injectable()
export class Readiness implements BeforeApplicationShutdown {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly degradables = new Map<string, () => { up: boolean }>();
  private stopping = false;

  constructor(@Inject(APP_CONFIG) private readonly config: BaseEnv) {}

  /** Runs before the listener closes: fail readiness, then give the balancer time to stop sending. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.config.SHUTDOWN_GRACE_MS > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.config.SHUTDOWN_GRACE_MS));
    }
  }

  /** True from SIGTERM on: responses then close their connection so keep-alive clients move on. */
  get isStopping(): boolean {
    return this.stopping;
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
    return { ready: !this.stopping && results.every(([, s]) => s === 'up'), checks };
  }
}
