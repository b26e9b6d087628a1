import { LRUCache } from 'lru-cache';
import type { AuthUser } from './auth-user';

/** A disabled user is refused within this long of being disabled, on every service. */
const CALLER_TTL_MS = 30_000;
const MAX_CALLERS = 50_000;

/**
 * What a service's CallerResolver made of a token's subject (its user, their account…), kept for
 * 30 s so an authenticated request costs no lookup; the least recently used leave beyond 50,000.
 */
export class CallerCache<T extends object> {
  private readonly entries = new LRUCache<string, T>({ max: MAX_CALLERS, ttl: CALLER_TTL_MS });

  /** The cached value for `user`, else what `load` answers (then cached). */
  async remember(user: AuthUser, load: () => Promise<T>): Promise<T> {
    const key = `${user.issuer}|${user.sub}`;
    const hit = this.entries.get(key);
    if (hit) return hit;
    const value = await load();
    this.entries.set(key, value);
    return value;
  }

  /** Drops the entries `matches` picks (an admin disabled the user: refused from the next call). */
  forget(matches: (value: T) => boolean): void {
    for (const [key, value] of this.entries.entries()) if (matches(value)) this.entries.delete(key);
  }
}
