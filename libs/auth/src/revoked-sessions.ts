import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, FailFastRedis } from '@paychat/platform';

/** A failed catch-up (a command timed out while the process was busy starting) is tried again after this. */
const RELOAD_RETRY_MS = 1_000;

/** Sorted set: member = session id, score = when its last access token expires (epoch ms). */
const KEY = 'paychat:auth:revoked-sessions';
const CHANNEL = 'paychat:auth:revocations';

/**
 * Sessions (Cognito's `origin_jti`) logged out while their access tokens still verify. A check is a
 * local Map lookup, so verification costs no round trip and is not cached: a revocation counts on
 * the very next request.
 *
 * With REDIS_URL, a revocation is added to a shared sorted set and published; every instance is
 * subscribed and adds it to its Map within milliseconds, and reloads the set whenever a connection
 * (re)opens, so an instance cut off from Redis catches up on what it missed.
 *
 * Redis down: the instance that served a logout refuses that session at once (its own Map) and
 * writes the revocation when Redis is back; other instances learn of it then. That gap fails open
 * (≤ one access-token lifetime, 15 minutes) rather than refusing every token while a cache is down.
 */
@Injectable()
export class RevokedSessions implements OnModuleDestroy {
  private readonly logger = new Logger(RevokedSessions.name);
  private readonly local = new Map<string, number>();
  /** Revocations Redis has not taken yet, written when it is back. */
  private readonly unsent = new Map<string, number>();
  private readonly redis?: { cmd: FailFastRedis; sub: FailFastRedis };
  private closed = false;

  constructor(@Inject(APP_CONFIG) config: { REDIS_URL?: string }) {
    if (!config.REDIS_URL) return;
    this.redis = {
      cmd: new FailFastRedis(config.REDIS_URL, 'revocations'),
      sub: new FailFastRedis(config.REDIS_URL, 'revocations-sub'),
    };
    const { cmd, sub } = this.redis;
    cmd.client.on('ready', () => void this.flushAndLoad());
    sub.client.on('message', (_channel: string, message: string) => {
      this.sweep();
      this.remember(...parse(message));
    });
    // Subscribed first, then loaded: nothing revoked in between is missed.
    sub.client.on('ready', () => void sub.client.subscribe(CHANNEL).then(() => this.flushAndLoad(), noop));
  }

  isRevoked(sessionId: string | undefined): boolean {
    const until = sessionId === undefined ? undefined : this.local.get(sessionId);
    return until !== undefined && until > Date.now();
  }

  /** Never fails: without Redis the revocation still holds here, and is shared once Redis is back. */
  async revoke(sessionId: string, expiresAtMs: number): Promise<void> {
    this.sweep();
    this.remember(sessionId, expiresAtMs);
    if (!this.redis) return;
    try {
      await this.share(sessionId, expiresAtMs);
    } catch (err) {
      this.unsent.set(sessionId, expiresAtMs);
      this.logger.warn({ err: (err as Error).message }, 'revocation kept locally until Redis is back');
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await Promise.all([this.redis?.cmd.quit(), this.redis?.sub.quit()]);
  }

  private async share(sessionId: string, expiresAtMs: number): Promise<void> {
    await this.redis!.cmd.client.multi()
      .zadd(KEY, expiresAtMs, sessionId)
      .zremrangebyscore(KEY, '-inf', Date.now())
      .publish(CHANNEL, `${sessionId} ${expiresAtMs}`)
      .exec();
  }

  private async flushAndLoad(): Promise<void> {
    try {
      for (const [id, until] of this.unsent) {
        await this.share(id, until);
        this.unsent.delete(id);
      }
      const entries = await this.redis!.cmd.client.zrangebyscore(KEY, Date.now(), '+inf', 'WITHSCORES');
      this.sweep();
      for (let i = 0; i < entries.length; i += 2) this.remember(entries[i], Number(entries[i + 1]));
    } catch {
      // Again shortly (a reconnect's `ready` also does): until then this instance may miss revocations.
      if (!this.closed) setTimeout(() => void this.flushAndLoad(), RELOAD_RETRY_MS).unref();
    }
  }

  private remember(sessionId: string, expiresAtMs: number): void {
    if (expiresAtMs > Date.now()) this.local.set(sessionId, expiresAtMs);
  }

  /** Drops what has expired anyway (a session's tokens live 15 minutes, so the Map stays small). */
  private sweep(): void {
    const now = Date.now();
    for (const [id, until] of this.local) if (until <= now) this.local.delete(id);
  }
}

function parse(message: string): [string, number] {
  const [id = '', until] = message.split(' ');
  return [id, Number(until)];
}

const noop = () => undefined;
