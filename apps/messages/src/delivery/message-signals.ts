import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@paychat/platform';
import { Redis } from 'ioredis';
import type { MessagesEnv } from '../messages.env';

const CHANNEL = 'paychat:conv:';

type Wake = () => void;

/**
 * "Something new in conversation X" between the instances of the messages service, for long-polls.
 * A send wakes the waiters of its own instance at once and publishes on Redis; every instance that
 * has waiters for X is subscribed to X's channel (reference-counted), so a message written by
 * instance A wakes a poll held by instance B within milliseconds. The signal only says "look
 * again": the waiter re-reads DynamoDB, so a lost signal costs latency (bounded by the waiter's
 * own recheck), never a message. Without REDIS_URL only same-instance sends wake at once.
 */
@Injectable()
export class MessageSignals implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(MessageSignals.name);
  private readonly waiters = new Map<string, { wakes: Set<Wake>; subscribed: Promise<unknown> }>();
  private readonly pub?: Redis;
  private readonly sub?: Redis;
  private closing = false;

  constructor(@Inject(APP_CONFIG) config: MessagesEnv) {
    if (!config.REDIS_URL) return;
    const options = { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false };
    this.pub = new Redis(config.REDIS_URL, options);
    this.sub = new Redis(config.REDIS_URL, options);
    for (const client of [this.pub, this.sub])
      client.on('error', (err: Error) => this.logger.warn({ err: err.message }, 'redis'));
    this.sub.on('message', (channel: string) => this.wakeLocal(channel.slice(CHANNEL.length)));
  }

  /** After a message committed: wake local waiters now, and the other instances' through Redis. */
  notify(convId: string): void {
    this.wakeLocal(convId);
    this.pub?.publish(CHANNEL + convId, '1').catch((err: Error) => {
      this.logger.warn({ err: err.message, convId }, 'publish failed');
    });
  }

  /**
   * Registers a waiter for `convId` and resolves once it is subscribed, so every message that
   * commits after this point signals it. Call `next(ms)` to wait for a signal (or the timeout);
   * always `close()`.
   */
  async watch(
    convId: string,
  ): Promise<{ next: (ms: number, abort?: AbortSignal) => Promise<void>; close: () => void }> {
    let pending: Wake | null = null;
    let signalled = false;
    const wake: Wake = () => {
      signalled = true;
      pending?.();
    };
    let entry = this.waiters.get(convId);
    if (!entry) {
      const subscribed = this.sub?.subscribe(CHANNEL + convId).catch(() => undefined) ?? Promise.resolve();
      this.waiters.set(convId, (entry = { wakes: new Set(), subscribed }));
    }
    const { wakes, subscribed } = entry;
    wakes.add(wake);
    await subscribed;
    return {
      next: (ms, abort) =>
        new Promise<void>((resolve) => {
          if (signalled || this.closing || abort?.aborted) {
            signalled = false;
            return resolve();
          }
          const timer = setTimeout(done, ms);
          abort?.addEventListener('abort', done, { once: true });
          function done() {
            clearTimeout(timer);
            abort?.removeEventListener('abort', done);
            pending = null;
            signalled = false;
            resolve();
          }
          pending = done;
        }),
      close: () => {
        wakes.delete(wake);
        if (wakes.size === 0 && this.waiters.get(convId) === entry) {
          this.waiters.delete(convId);
          this.sub?.unsubscribe(CHANNEL + convId).catch(() => undefined);
        }
      },
    };
  }

  /** SIGTERM: release every long-poll now (they answer with what they have) so draining is quick. */
  beforeApplicationShutdown(): void {
    this.closing = true;
    for (const { wakes } of this.waiters.values()) for (const wake of wakes) wake();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.pub, this.sub].map((c) => c?.quit().catch(() => undefined)));
  }

  private wakeLocal(convId: string): void {
    for (const wake of this.waiters.get(convId)?.wakes ?? []) wake();
  }
}
