import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { BaseEnv } from '@paychat/config';
import { failureReason, safeReason } from '@paychat/errors';
import { APP_CONFIG } from './tokens';

export type ReadinessCheck = () => Promise<unknown>;
/** `degraded`: a dependency the app serves without (in a lesser way) is down; readiness holds. */
export type CheckStatus = 'up' | 'down' | 'degraded';

/** A dependency's state as its owner knows it; `reason` (no secrets) says why it is down. */
export interface DependencyState {
  up: boolean;
  reason?: string;
}

/** A dependency that is not up, in the health answer's `error` member: why, never a secret. */
export interface DependencyFailure {
  status: 'down';
  message: string;
}

export interface ReadinessReport {
  ready: boolean;
  /** Every dependency's state. */
  checks: Record<string, CheckStatus>;
  /** The ones not up (`down` or `degraded`), with the reason. */
  error: Record<string, DependencyFailure>;
}

/**
 * Dependencies an app needs before it can serve (its database, its table…). Modules register their
 * own checks; shutdown fails readiness first (`stop`) so the gateway and a load balancer drain the
 * instance. Dependencies it can serve without (Redis for rate limits, chat wake-ups) are shown,
 * never failing it: taking every instance out of the balancer over a cache would turn a
 * degradation into an outage.
 */
@Injectable()
export class Readiness implements OnModuleDestroy {
  private readonly logger = new Logger(Readiness.name);
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly degradables = new Map<string, () => DependencyState>();
  /** Each check's last outcome (true: passed), so a failure is logged when it starts, not at every poll. */
  private readonly passed = new Map<string, boolean>();
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

  /**
   * A dependency shown as `degraded` while `state().up` is false (read, not probed: no waiting). Its
   * owner logs its changes (it sees them as they happen, not only when readiness is asked).
   */
  registerDegradable(name: string, state: () => DependencyState): void {
    this.degradables.set(name, state);
  }

  async run(timeoutMs = 2000): Promise<ReadinessReport> {
    const checks: ReadinessReport['checks'] = {};
    const error: ReadinessReport['error'] = {};
    const failures = await Promise.all(
      [...this.checks].map(
        async ([name, check]) => [name, await this.probe(name, check, timeoutMs)] as const,
      ),
    );
    for (const [name, reason] of failures) {
      checks[name] = reason === undefined ? 'up' : 'down';
      if (reason !== undefined) error[name] = { status: 'down', message: reason };
    }
    for (const [name, state] of this.degradables) {
      const { up, reason } = state();
      checks[name] = up ? 'up' : 'degraded';
      if (!up) error[name] = { status: 'down', message: safeReason(reason ?? 'unavailable') };
    }
    return { ready: failures.every(([, reason]) => reason === undefined), checks, error };
  }

  /** Runs one check: undefined when it passed, else why it failed (a code or a short message). */
  private async probe(name: string, check: ReadinessCheck, timeoutMs: number): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    let reason: string | undefined;
    try {
      await Promise.race([check(), timeout]);
    } catch (err) {
      reason = failureReason(err);
    } finally {
      clearTimeout(timer);
    }
    this.noteChange(name, reason);
    return reason;
  }

  /** One line per change (the first outcome counts when it is a failure), and no stack trace. */
  private noteChange(name: string, reason: string | undefined): void {
    const passed = reason === undefined;
    const before = this.passed.get(name);
    this.passed.set(name, passed);
    if (before === passed || (before === undefined && passed)) return;
    if (passed) this.logger.log({ dependency: name }, 'readiness check passes again');
    else this.logger.warn({ dependency: name, reason }, 'readiness check fails: not ready until it passes');
  }
}
