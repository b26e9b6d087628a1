import type { Logger } from '@nestjs/common';

/** A held lease is pushed forward this often (as a share of it): well before it runs out. */
const RENEW_EVERY = 0.4;

/**
 * Keeps outbox rows leased while their delivery is in flight: every 40% of the lease their
 * `available_at` moves a whole lease ahead. So leases can be short — a crashed process's events
 * move on after one lease — and still a slow delivery never loses its rows to another process
 * mid-flight (which would send them twice and let their chat's later events be claimed).
 */
export class OutboxLease {
  private readonly timer: NodeJS.Timeout;
  private renewing: Promise<void> = Promise.resolve();

  /** `extend` moves the rows' lease a whole `leaseMs` ahead. */
  constructor(
    private readonly extend: () => Promise<void>,
    leaseMs: number,
    private readonly logger: Logger,
  ) {
    // Unref'd: a process that is going away stops renewing, and its leases simply run out.
    this.timer = setInterval(() => this.renew(), leaseMs * RENEW_EVERY).unref();
  }

  /** Stops renewing and waits for a renewal in flight (it must not land after the outcome is written). */
  async release(): Promise<void> {
    this.stop();
    await this.renewing;
  }

  /** Stops renewing at once (the process is shutting down). */
  stop(): void {
    clearInterval(this.timer);
  }

  private renew(): void {
    this.renewing = this.renewing
      .then(() => this.extend())
      .then(
        () => undefined,
        (err: Error) => this.logger.warn({ err: err.message }, 'outbox lease not renewed'),
      );
  }
}
