import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';

/**
 * A Redis command on a request path may take this long before its caller falls back. Local Redis
 * answers in about a millisecond; a black-holed primary (a failover) would otherwise hang requests.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 100;
const CONNECT_TIMEOUT_MS = 1_000;
const FIRST_CONNECT_WAIT_MS = 1_000;
/** Reconnect attempts back off to this, forever: Redis coming back is picked up on its own. */
const MAX_RECONNECT_DELAY_MS = 2_000;

export interface RedisState {
  up: boolean;
  /** Why it is down (no secrets: the error's message, never the URL). */
  reason?: string;
  since: Date;
}

/**
 * A Redis connection for a dependency paychat can live without (rate-limit counters, chat wake-ups,
 * the token denylist): a command fails at once while disconnected (no offline queue) and within
 * REDIS_COMMAND_TIMEOUT_MS when Redis does not answer, so callers apply their fallback instead of
 * waiting. Each transition (down, back up) is logged once, and `state` is there for readiness details.
 */
export class FailFastRedis {
  readonly client: Redis;
  private current: RedisState = { up: false, reason: 'connecting', since: new Date() };
  /** Unknown until the first connect succeeds or fails, so that first outcome is logged too. */
  private known = false;
  /** Our own quit closes the connection: not an outage worth a warning. */
  private quitting = false;
  private readonly logger: Logger;

  constructor(url: string, name: string) {
    this.logger = new Logger(`redis:${name}`);
    this.client = new Redis(url, {
      enableOfflineQueue: false,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      connectTimeout: CONNECT_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(attempt * 200, MAX_RECONNECT_DELAY_MS),
      // Concurrent requests' commands travel to Redis in one write.
      enableAutoPipelining: true,
    });
    this.client.on('ready', () => this.transition(true));
    this.client.on('error', (err: Error) => this.transition(false, err.message));
    this.client.on('close', () => this.transition(false, 'connection closed'));
  }

  /** Resolves when the first connection attempt has ended either way, or after a second at most. */
  firstConnect(): Promise<void> {
    return new Promise((resolve) => {
      if (this.known) return resolve();
      const timer = setTimeout(resolve, FIRST_CONNECT_WAIT_MS);
      const done = () => {
        clearTimeout(timer);
        this.client.off('ready', done).off('error', done);
        resolve();
      };
      this.client.once('ready', done).once('error', done);
    });
  }

  get state(): RedisState {
    return this.current;
  }

  /** QUIT when connected (pending replies arrive first); a connection that is down is just dropped. */
  async quit(): Promise<void> {
    this.quitting = true;
    if (this.client.status !== 'ready') return this.client.disconnect();
    await this.client.quit().catch(() => this.client.disconnect());
  }

  private transition(up: boolean, reason?: string): void {
    if (this.quitting || (this.known && this.current.up === up)) return;
    const first = !this.known;
    this.known = true;
    this.current = { up, reason: up ? undefined : reason, since: new Date() };
    if (up) this.logger.log(first ? 'connected' : 'back up: shared state in use again');
    else this.logger.warn({ reason }, 'unavailable: falling back until it returns');
  }
}
