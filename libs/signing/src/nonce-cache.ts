/**
 * The nonces of accepted calls, each until its timestamp leaves the window (after that the timestamp
 * check refuses the call anyway). Only verified calls are recorded, so only our own callers can fill
 * it; when they have (`max` calls inside one window), new calls are refused rather than an entry
 * forgotten early, which would let that call be replayed.
 */
export class NonceCache {
  /** Key → expiry (ms), in insertion order: roughly expiry order, so expired entries leave from the front. */
  private readonly expiries = new Map<string, number>();

  constructor(private readonly max = 100_000) {}

  add(key: string, expiresAt: number, now: number): 'added' | 'seen' | 'full' {
    for (const [first, expiry] of this.expiries) {
      if (expiry > now) break;
      this.expiries.delete(first);
    }
    const known = this.expiries.get(key);
    if (known !== undefined && known > now) return 'seen';
    if (this.expiries.size >= this.max) {
      // Callers' clocks differ, so an expired entry may sit behind a live one; look at all before refusing.
      for (const [k, expiry] of this.expiries) if (expiry <= now) this.expiries.delete(k);
      if (this.expiries.size >= this.max) return 'full';
    }
    this.expiries.set(key, expiresAt);
    return 'added';
  }

  get size(): number {
    return this.expiries.size;
  }
}
