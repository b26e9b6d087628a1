import { Injectable, Logger } from '@nestjs/common';
import { ConversationsRepository } from '../conversations/conversations.repository';
import { ChatRun, MAX_TRANSACTION_ITEMS, MessageBatch } from '../messages/message-batch';
import { MessageLog } from '../messages/message-log';
import { ChatPass } from './chat-pass';
import type { ChatPost } from './event-plan';
import type { Outcome } from './outcomes';
import { RequestStatus } from './request-status';

/** Chats of one batch written at once: enough to hide DynamoDB latency, bounded for its throughput. */
const CHATS_IN_PARALLEL = 16;

type Simple = { pass: ChatPass; run: ChatRun & { items: number } };

/**
 * Applies a batch's events chat by chat, each chat strictly in request order, in as few round trips
 * as correctness allows — DynamoDB Local queues on calls, not items. One BatchGetItem (per 100
 * keys) reads every chat's META, every dedupe record (so a replay writes nothing) and both inbox
 * rows (who is long-polling). A chat whose events are all new messages shares one TransactWriteItems
 * with other such chats (packed whole, ≤ 100 items); a chat that drops out of it (a clash named by
 * the cancellation), and every other chat, takes the per-chat path: created once if absent,
 * consecutive new messages in one transaction (which also moves both members' inbox rows: no
 * fan-out write), a request's later status by the version-guarded update, a transaction a
 * concurrent delivery overlapped redone one message at a time (each keeps its time). After a
 * `failed` event every later one of the chat is `failed` untried; a `rejected` one blocks nothing.
 * Long-polls are woken and pushes sent once per chat, with its new messages.
 */
@Injectable()
export class DirectChatEvents {
  private readonly logger = new Logger(DirectChatEvents.name);

  constructor(
    readonly conversations: ConversationsRepository,
    readonly log: MessageLog,
    readonly batch: MessageBatch,
    readonly requests: RequestStatus,
  ) {}

  /** For each chat's posts (all of one chat, in request order), their outcomes in that order. */
  async apply(chats: ChatPost[][]): Promise<Outcome[][]> {
    const passes = chats.map((posts) => new ChatPass(this, posts, this.logger));
    const reads = this.batch.read(passes.map((p) => p.reads));
    await inParallel(passes, CHATS_IN_PARALLEL, (pass, i) =>
      pass.step(pass.posts, async () => pass.open((await reads)[i])),
    );
    const simple: Simple[] = [];
    const others: ChatPass[] = [];
    for (const pass of passes) {
      const run = pass.simpleRun();
      if (run) simple.push({ pass, run });
      else others.push(pass);
    }
    const work = [
      ...packed(simple).map((group) => () => this.together(group)),
      ...others.map((p) => () => p.finish()),
    ];
    await inParallel(work, CHATS_IN_PARALLEL, (w) => w());
    return passes.map((pass) => pass.posts.map((p) => pass.outcomes.get(p)!));
  }

  /** Several chats' new messages in one transaction; a chat that drops out goes on per chat. */
  private async together(group: Simple[]): Promise<void> {
    const written = this.batch.appendMany(group.map((s) => s.run));
    await Promise.all(
      group.map(async ({ pass }, i) => {
        await pass.step(pass.posts, async () => {
          const mine = (await written)[i];
          if (mine) pass.committed(pass.posts, mine);
        });
        await pass.finish();
      }),
    );
  }
}

/** Whole chats, in order, into as few transactions of ≤ 100 items as that allows. */
function packed(simple: Simple[]): Simple[][] {
  const groups: Simple[][] = [];
  let items = 0;
  for (const s of simple) {
    if (groups.length === 0 || items + s.run.items > MAX_TRANSACTION_ITEMS) {
      groups.push([]);
      items = 0;
    }
    groups[groups.length - 1].push(s);
    items += s.run.items;
  }
  return groups;
}

/** Runs `work` over the items with at most `limit` at a time. */
async function inParallel<T>(
  items: T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
