import type { Logger } from '@nestjs/common';
import type { ConversationMeta } from '../conversations/conversation';
import { conversationNotFound } from '../conversations/conversations.repository';
import type { MessageView } from '../messages/message';
import { ChatRead, ChatRun, fitsOneTransaction, transactionItems, Written } from '../messages/message-batch';
import type { DirectChatEvents } from './direct-chat-events';
import type { ChatPost } from './event-plan';
import { APPLIED, DUPLICATE, NOT_TRIED, Outcome, outcomeOf } from './outcomes';

/** The state of one chat while its events of one batch are applied (DirectChatEvents). */
export class ChatPass {
  readonly outcomes = new Map<ChatPost, Outcome>();
  readonly convId: string;
  private readonly pair: [string, string];
  private readonly allowed: (meta: ConversationMeta) => boolean;
  /** Whether META existed before this batch (a chat created now takes the per-chat path). */
  private existed = false;
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
    /** All of one chat, hence of one pair, in request order. */
    readonly posts: ChatPost[],
    private readonly logger: Logger,
  ) {
    [this.convId, this.pair] = [posts[0].convId, posts[0].pair];
    this.allowed = (m) => this.pair.every((u) => m.memberIds.includes(u));
  }

  /** What to read before writing (MessageBatch.read). */
  get reads(): { convId: string; dedupeSks: string[]; members: string[] } {
    return { convId: this.convId, dedupeSks: this.posts.map((p) => p.entry.dedupeSk), members: this.pair };
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

  /** Takes the pre-read; creates the chat if absent. */
  async open({ meta, seen, polling }: ChatRead): Promise<void> {
    this.existed = meta !== undefined;
    const chat = meta ?? (await this.deps.conversations.createDirect(...this.pair)).meta;
    if (!this.allowed(chat)) throw conversationNotFound();
    [this.members, this.lastSeq, this.seqOf, this.polling] = [chat.memberIds, chat.lastSeq, seen, polling];
  }

  /**
   * This chat's run for a transaction shared with other chats, when all it does is new messages
   * (an existing chat, no dedupe record yet, no twins, one transaction's worth); else null.
   */
  simpleRun(): (ChatRun & { items: number }) | null {
    const entries = this.posts.map((p) => p.entry);
    const simple =
      this.existed &&
      this.outcomes.size === 0 &&
      new Set(entries.map((e) => e.dedupeSk)).size === entries.length &&
      entries.every((e) => !this.seqOf.has(e.dedupeSk)) &&
      fitsOneTransaction(entries, this.members);
    if (!simple) return null;
    const { convId, lastSeq, members } = this;
    return { convId, lastSeq, entries, members, items: transactionItems(entries, members) };
  }

  /** `written` are the messages of `posts`, committed in one transaction that moved the inbox rows. */
  committed(posts: ChatPost[], written: Written): void {
    written.forEach((w, i) => this.commit(posts[i], w.seq, w.message, true));
  }

  /**
   * The per-chat path for every event without an outcome yet, in request order; then wakes the
   * long-polls and pushes once, with what this pass committed.
   */
  async finish(): Promise<void> {
    for (const p of this.posts) if (!this.outcomes.has(p)) await this.next(p);
    await this.flush();
    if (this.news.length)
      this.deps.log.announce(this.members, this.news, this.lastMovedInboxes ? this.polling : undefined);
  }

  private async next(p: ChatPost): Promise<void> {
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

  private async flush(): Promise<void> {
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
      if (written) return this.committed(posts, written);
      // A concurrent delivery wrote some of these first: each finds out for itself, in order.
      for (const p of posts) await this.step([p], () => this.one(p));
    });
  }

  /** One message on its own (keeping its time); a dedupe record already there makes it a repeat. */
  private async one(p: ChatPost): Promise<void> {
    const { entry } = p;
    const written = await this.deps.batch.append(
      this.convId,
      this.lastSeq,
      [entry],
      this.members,
      this.allowed,
    );
    if (written) return this.commit(p, written[0].seq, written[0].message, true);
    const [read] = await this.deps.batch.read([
      { convId: this.convId, dedupeSks: [entry.dedupeSk], members: [] },
    ]);
    await this.again(p, read.seen.get(entry.dedupeSk)!);
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
