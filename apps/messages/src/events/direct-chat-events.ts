import { Injectable, Logger } from '@nestjs/common';
import type { ConversationMeta } from '../conversations/conversation';
import { conversationNotFound, ConversationsRepository } from '../conversations/conversations.repository';
import { parseMessageId } from '../db/keys';
import type { MessageView } from '../messages/message';
import { fitsOneTransaction, MessageBatch } from '../messages/message-batch';
import { MessageLog } from '../messages/message-log';
import type { ChatPost } from './event-plan';
import { APPLIED, DUPLICATE, NOT_TRIED, Outcome, outcomeOf } from './outcomes';
import { RequestStatus } from './request-status';

/**
 * Applies one direct chat's events of a batch, strictly in request order, in as few round trips
 * as correctness allows: one BatchGetItem reads META, every dedupe record (so a replay writes
 * nothing) and both inbox rows (who is long-polling), the chat is created once if absent,
 * consecutive new messages share one TransactWriteItems (which also moves both members' inbox
 * rows: no fan-out write), and only what needs per-event handling gets it: a request's later status
 * (the version-guarded update), or a transaction a concurrent delivery overlapped (then
 * MessageLog.append, one by one). After a `failed` event every later one of the chat is `failed`
 * untried; a `rejected` one blocks nothing. Long-polls are woken and pushes sent once, with the
 * chat's last new message.
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

  /** Outcomes in the order of `posts` (all of one chat, hence of one pair). */
  async apply(convId: string, posts: ChatPost[]): Promise<Outcome[]> {
    const pass = new ChatPass(this, convId, posts[0].pair, this.logger);
    await pass.step(posts, () => pass.open(posts));
    for (const p of posts) if (!pass.outcomes.has(p)) await pass.next(p);
    await pass.flush();
    pass.announce();
    return posts.map((p) => pass.outcomes.get(p)!);
  }
}

/** The state of one chat while its events of one batch are applied. */
class ChatPass {
  readonly outcomes = new Map<ChatPost, Outcome>();
  private readonly allowed: (meta: ConversationMeta) => boolean;
  private members: string[] = [];
  /** The members' pollingUntil as read before the writes (who gets no push). */
  private polling = new Map<string, number>();
  private lastSeq = 0;
  /** Dedupe key → the seq of its committed message. */
  private seqOf = new Map<string, number>();
  /** The messages this pass committed, in order (what the long-polls are woken with). */
  private readonly news: MessageView[] = [];
  /** Whether the last message's transaction moved the members' inbox rows (else the fan-out does). */
  private lastMovedInboxes = false;
  private broken = false;
  /** New messages waiting to be written together. */
  private run: ChatPost[] = [];

  constructor(
    private readonly deps: DirectChatEvents,
    private readonly convId: string,
    private readonly pair: [string, string],
    private readonly logger: Logger,
  ) {
    this.allowed = (m) => pair.every((u) => m.memberIds.includes(u));
  }

  /** Runs `work` for these events unless the chat broke before; an error becomes their outcome. */
  async step(posts: ChatPost[], work: () => Promise<void>): Promise<void> {
    if (this.broken) return posts.forEach((p) => this.outcomes.set(p, NOT_TRIED));
    try {
      await work();
    } catch (err) {
      const outcome = outcomeOf(err);
      if (outcome.outcome === 'failed') {
        this.broken = true;
        this.logger.warn(
          { err, convId: this.convId },
          'relayed event failed; later ones of its chat untried',
        );
      }
      posts.forEach((p) => this.outcomes.set(p, outcome));
    }
  }

  async open(posts: ChatPost[]): Promise<void> {
    const { meta, seen, polling } = await this.deps.batch.read(
      this.convId,
      posts.map((p) => p.entry.dedupeSk),
      this.pair,
    );
    const chat = meta ?? (await this.deps.conversations.createDirect(...this.pair)).meta;
    if (!this.allowed(chat)) throw conversationNotFound();
    [this.members, this.lastSeq, this.seqOf, this.polling] = [chat.memberIds, chat.lastSeq, seen, polling];
  }

  async next(p: ChatPost): Promise<void> {
    const key = p.entry.dedupeSk;
    if (this.run.some((r) => r.entry.dedupeSk === key)) await this.flush(); // its twin commits first
    const seq = this.seqOf.get(key);
    if (seq !== undefined) {
      await this.flush();
      return this.step([p], () => this.again(p, seq));
    }
    if (
      !fitsOneTransaction(
        [...this.run, p].map((r) => r.entry),
        this.members,
      )
    )
      await this.flush();
    this.run.push(p);
  }

  async flush(): Promise<void> {
    const posts = this.run;
    this.run = [];
    if (posts.length === 0) return;
    await this.step(posts, async () => {
      const entries = posts.map((p) => p.entry);
      const written = await this.deps.batch.append(
        this.convId,
        this.lastSeq,
        entries,
        this.members,
        this.allowed,
      );
      if (written) return written.forEach((w, i) => this.commit(posts[i], w.seq, w.message, true));
      // A concurrent delivery wrote some of these first: each finds out for itself, in order.
      for (const p of posts) await this.step([p], () => this.one(p));
    });
  }

  announce(): void {
    if (this.news.length)
      this.deps.log.announce(this.members, this.news, this.lastMovedInboxes ? this.polling : undefined);
  }

  private async one(p: ChatPost): Promise<void> {
    const { created, message } = await this.deps.log.append(this.convId, p.entry.draft, {
      dedupeSk: p.entry.dedupeSk,
      allowed: this.allowed,
      hidden: p.entry.hidden,
      silent: true,
    });
    const { seq } = parseMessageId(message.id)!;
    if (created) this.commit(p, seq, message, false);
    else await this.again(p, seq);
  }

  private commit(p: ChatPost, seq: number, message: MessageView, movedInboxes: boolean): void {
    this.seqOf.set(p.entry.dedupeSk, seq);
    this.lastSeq = Math.max(this.lastSeq, seq);
    this.news.push(message);
    this.lastMovedInboxes = movedInboxes;
    this.outcomes.set(p, APPLIED);
  }

  /** Its message exists: a request may move its status forward; anything else is a duplicate. */
  private async again(p: ChatPost, seq: number): Promise<void> {
    const { request } = p;
    const moved =
      request &&
      (await this.deps.requests.follow(
        this.convId,
        seq,
        request.status,
        request.version,
        seq >= this.lastSeq,
      ));
    this.outcomes.set(p, moved ? APPLIED : DUPLICATE);
  }
}
