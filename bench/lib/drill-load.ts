import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Chat, Users } from './chats';
import type { PhoneClient } from './drill-client';
import { pick } from './stack';

/** What became of each Idempotency-Key the load used: the transfer it answered, or none. */
export interface KeyOutcome {
  userId: string;
  transferId?: string;
  /** The load stopped before an answer came (it may have been applied all the same). */
  unanswered?: boolean;
}

const LONG_POLL_SECONDS = 5;

/**
 * Mixed load as phones make it, through the gateway: one client per chat (its two members taking
 * turns) sending transfers and chat transfers, and reading the wallet's history and the chat's
 * messages; plus a few clients long-polling their chat. A chat's requests are made one after
 * another, so the order of its transfers is the order they were made.
 */
export class MixedLoad {
  /** Every Idempotency-Key used, kept across scenarios: the invariants are checked over all. */
  readonly keys = new Map<string, KeyOutcome>();
  private stopping = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(
    private readonly client: PhoneClient,
    private readonly users: Users,
    private readonly chats: Chat[],
    private readonly opts: { longPolls: number; thinkMs: number },
  ) {}

  start(): void {
    this.stopping = new AbortController();
    setMaxListeners(0, this.stopping.signal); // one listener per request in flight
    this.loops = [
      ...this.chats.map((chat) => this.chatLoop(chat)),
      ...this.chats.slice(0, this.opts.longPolls).map((chat) => this.longPollLoop(chat)),
    ];
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.loops);
  }

  private async chatLoop({ convId, a, b }: Chat): Promise<void> {
    const signal = this.stopping.signal;
    const { userIds, tokens } = this.users;
    while (!signal.aborted) {
      const [from, to] = pick(2) ? [a, b] : [b, a];
      const token = tokens[from];
      const roll = Math.random();
      if (roll < 0.3) await this.transfer(from, '/v2/wallet/transfers', { toUserId: userIds[to] });
      else if (roll < 0.6) await this.transfer(from, `/v2/conversations/${convId}/transfers`, {});
      else if (roll < 0.8)
        await this.client.call({ method: 'GET', path: '/v2/wallet/transactions?limit=20', token, signal });
      else
        await this.client.call({
          method: 'GET',
          path: `/v2/conversations/${convId}/messages?limit=20`,
          token,
          signal,
        });
      await new Promise((resolve) => setTimeout(resolve, this.opts.thinkMs));
    }
  }

  private async transfer(from: number, path: string, body: object): Promise<void> {
    const key = randomUUID();
    const outcome: KeyOutcome = { userId: this.users.userIds[from] };
    this.keys.set(key, outcome);
    const res = await this.client.call({
      method: 'POST',
      path,
      token: this.users.tokens[from],
      body: { ...body, amount: 1 + pick(100) },
      idempotencyKey: key,
      signal: this.stopping.signal,
    });
    if (!res) outcome.unanswered = true;
    else if (res.ok) outcome.transferId = (res.body as { id: string }).id;
  }

  /** Member b waits for what is new in the chat, as an open chat screen does. */
  private async longPollLoop({ convId, b }: Chat): Promise<void> {
    const signal = this.stopping.signal;
    const token = this.users.tokens[b];
    const messages = `/v2/conversations/${convId}/messages`;
    let after: string | undefined;
    while (!signal.aborted) {
      const path = after
        ? `${messages}?after=${after}&waitSeconds=${LONG_POLL_SECONDS}&limit=100`
        : `${messages}?limit=1`;
      const res = await this.client.call({ method: 'GET', path, token, signal });
      const items = (res?.ok ? (res.body as { items: { id: string }[] }).items : []) ?? [];
      // Newest first without `after`, oldest first after it: either way the newest one is wanted.
      if (items.length) after = after ? items.at(-1)!.id : items[0].id;
      if (!res?.ok || !after) await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
