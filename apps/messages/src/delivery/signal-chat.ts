import { parseMessageId } from '../db/keys';
import type { MessageView } from '../messages/message';

/** Messages a chat just committed, up to seq `to`; `items` (in order, ending at `to`) when small. */
export interface Signal {
  to: number;
  items?: MessageView[];
}

/** The messages a waiter was sent while it waited, by seq. */
export type Carried = ReadonlyMap<number, MessageView>;

/** One long-poll waiting on a chat for news after seq `after`. */
export class Waiter {
  private carried = new Map<number, MessageView>();
  private woken = false;
  private pending: (() => void) | null = null;

  constructor(private readonly after: number) {}

  /** Older news (e.g. Redis echoing this instance's own signal) does not concern it. */
  signal(signal: Signal): void {
    if (signal.to <= this.after) return;
    for (const m of signal.items ?? []) this.carried.set(parseMessageId(m.id)!.seq, m);
    this.wake();
  }

  private wake(): void {
    this.woken = true;
    this.pending?.();
  }

  next(ms: number, abort?: AbortSignal): Promise<Carried> {
    return new Promise<Carried>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        abort?.removeEventListener('abort', done);
        this.pending = null;
        this.woken = false;
        const carried = this.carried;
        this.carried = new Map();
        resolve(carried);
      };
      const timer = setTimeout(done, ms);
      if (this.woken || abort?.aborted) return done();
      abort?.addEventListener('abort', done, { once: true });
      this.pending = done;
    });
  }
}

/**
 * An instance's subscription to one chat and its waiters. `latest` is the newest seq this instance
 * knows committed, kept only while the subscription has been unbroken since it was first learnt
 * (from a Query made while subscribed): writers publish after committing, so any newer commit
 * signals this instance — a `latest` equal to a poll's anchor means nothing newer (short of a
 * lost signal, which the poll's periodic re-read covers).
 */
export class Chat {
  subscribed: Promise<void> = Promise.resolve();
  private readonly waiters = new Set<Waiter>();
  private known?: number;
  /** The newest seq signalled since the subscription (re)started, for a Query answer read before it. */
  private heard?: number;
  /** Whether the subscription (of this generation) is still unbroken. */
  private live: () => boolean = () => false;
  private generation = 0;
  private idle?: NodeJS.Timeout;

  get latest(): number | undefined {
    return this.live() ? this.known : undefined;
  }

  listening(live: () => boolean): void {
    this.live = live;
  }

  /** The subscription broke: signals may have been lost. */
  forget(): void {
    this.generation++;
    this.known = this.heard = undefined;
    this.live = () => false;
  }

  /** Before a Query: its answer may set `latest` if the subscription held throughout. */
  reading(): (latestSeq: number) => void {
    const generation = this.generation;
    const live = this.live();
    return (seq) => {
      if (live && generation === this.generation) this.learn(seq);
    };
  }

  signal(signal: Signal): void {
    if (this.live()) this.heard = Math.max(this.heard ?? signal.to, signal.to);
    if (this.known !== undefined) this.learn(signal.to); // news only advances what a Query established
    for (const w of this.waiters) w.signal(signal);
  }

  add(waiter: Waiter): void {
    this.stopIdle();
    this.waiters.add(waiter);
  }

  /** How many waiters remain. */
  remove(waiter: Waiter): number {
    this.waiters.delete(waiter);
    return this.waiters.size;
  }

  idleFor(ms: number, expire: () => void): void {
    this.stopIdle();
    this.idle = setTimeout(expire, ms);
    this.idle.unref();
  }

  stopIdle(): void {
    clearTimeout(this.idle);
    this.idle = undefined;
  }

  private learn(seq: number): void {
    if (this.live()) this.known = Math.max(this.known ?? seq, seq, this.heard ?? seq);
  }
}
