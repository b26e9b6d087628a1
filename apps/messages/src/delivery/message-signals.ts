import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, FailFastRedis, Readiness } from '@paychat/platform';
import { parseMessageId } from '../db/keys';
import type { MessageView } from '../messages/message';
import type { MessagesEnv } from '../messages.env';
import { Carried, Chat, Signal, Waiter } from './signal-chat';

const CHANNEL = 'paychat:conv:';
/** A chat stays subscribed this long after its last waiter left: the phone's next poll reuses it. */
const GRACE_MS = 30_000;
/** Bigger news travels as its last seq only: the waiters then Query. */
const MAX_CARRIED_CHARS = 8_000;

/** What a long-poll holds while it waits; always `close()`. */
export interface Watch {
  /** The chat's latest seq, when this instance cannot have missed a newer commit (see `Chat`). */
  latest(): number | undefined;
  /** Call before a Query; report its answer's latest seq after it. */
  reading(): (latestSeq: number) => void;
  /** Waits for news after the waiter's anchor (or the timeout); resolves with the messages carried. */
  next(ms: number, abort?: AbortSignal): Promise<Carried>;
  close(): void;
}

/**
 * "New messages in conversation X" between the instances of the messages service, for long-polls.
 * A writer, after its commit, wakes the waiters of its own instance at once and publishes on Redis;
 * every instance that has waiters for X (or had, within GRACE_MS) is subscribed to X's channel, so
 * a message written by instance A wakes a poll held by instance B within milliseconds. A signal
 * carries the messages just committed (when small), so a woken poll usually answers without a
 * Query. A lost signal costs latency (bounded by the waiter's own recheck), never a message.
 * Without REDIS_URL only same-instance writers signal (one instance). Redis down (or not answering):
 * publishes and subscriptions fail at once, so polls on other instances fall back to their recheck
 * and re-read instead of trusting a latest seq; readiness shows it degraded.
 */
@Injectable()
export class MessageSignals implements OnApplicationShutdown {
  private readonly chats = new Map<string, Chat>();
  private readonly pub?: FailFastRedis;
  private readonly sub?: FailFastRedis;
  /** Bumped whenever the Redis subscriber connection drops: signals may have been lost. */
  private epoch = 0;

  constructor(@Inject(APP_CONFIG) config: MessagesEnv, readiness: Readiness) {
    if (!config.REDIS_URL) return;
    this.pub = new FailFastRedis(config.REDIS_URL, 'chat-signals:pub');
    this.sub = new FailFastRedis(config.REDIS_URL, 'chat-signals:sub');
    const [pub, sub] = [this.pub, this.sub];
    readiness.registerDegradable('redis', () => (pub.state.up ? sub.state : pub.state));
    this.sub.client.on('message', (channel: string, body: string) => this.received(channel, body));
    this.sub.client.on('close', () => {
      this.epoch++;
      for (const chat of this.chats.values()) chat.forget();
    });
    // Subscribed again: from here on nothing is missed, so the chats may learn their latest seq anew.
    this.sub.client.on('ready', () => {
      for (const [convId, chat] of this.chats) void this.subscribe(convId, chat);
    });
  }

  /** After messages committed (in commit order): wake local waiters now, others via Redis. */
  notify(convId: string, committed: MessageView[]): void {
    const { signal, body } = toSignal(committed);
    this.chats.get(convId)?.signal(signal);
    // Not logged: an outage is logged once by FailFastRedis, and a lost signal costs only the recheck.
    this.pub?.client.publish(CHANNEL + convId, body).catch(() => undefined);
  }

  /**
   * Registers a waiter for news after seq `after` and resolves once subscribed, so every message
   * that commits from this point on signals it.
   */
  async watch(convId: string, after: number): Promise<Watch> {
    let chat = this.chats.get(convId);
    if (!chat) {
      chat = new Chat();
      this.chats.set(convId, chat);
      chat.subscribed = this.subscribe(convId, chat);
    }
    const waiter = new Waiter(after);
    chat.add(waiter);
    await chat.subscribed;
    const current = chat;
    return {
      latest: () => current.latest,
      reading: () => current.reading(),
      next: (ms, abort) => waiter.next(ms, abort),
      close: () => {
        if (current.remove(waiter) === 0) current.idleFor(GRACE_MS, () => this.drop(convId, current));
      },
    };
  }

  async onApplicationShutdown(): Promise<void> {
    for (const [convId, chat] of this.chats) this.drop(convId, chat);
    await Promise.all([this.pub, this.sub].map((c) => c?.quit()));
  }

  /** Resolves once `chat` hears every later commit; only then may it learn its latest seq. */
  private async subscribe(convId: string, chat: Chat): Promise<void> {
    const epoch = this.epoch;
    const ok = this.sub
      ? await this.sub.client.subscribe(CHANNEL + convId).then(
          () => true,
          () => false,
        )
      : true;
    if (ok && epoch === this.epoch) chat.listening(() => this.epoch === epoch);
  }

  private drop(convId: string, chat: Chat): void {
    chat.stopIdle();
    if (this.chats.get(convId) !== chat) return;
    this.chats.delete(convId);
    this.sub?.client.unsubscribe(CHANNEL + convId).catch(() => undefined);
  }

  private received(channel: string, body: string): void {
    let signal: Signal;
    try {
      signal = JSON.parse(body) as Signal;
    } catch {
      return; // not ours: the periodic re-read covers whatever it was
    }
    if (typeof signal.to === 'number') this.chats.get(channel.slice(CHANNEL.length))?.signal(signal);
  }
}

/** The signal and its wire form, serialized once (the size check reuses it). */
function toSignal(committed: MessageView[]): { signal: Signal; body: string } {
  const to = parseMessageId(committed[committed.length - 1].id)!.seq;
  const full = { to, items: committed };
  const body = JSON.stringify(full);
  if (body.length <= MAX_CARRIED_CHARS) return { signal: full, body };
  const bare = { to };
  return { signal: bare, body: JSON.stringify(bare) };
}
