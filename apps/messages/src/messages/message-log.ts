import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import type { AppError } from '@paychat/errors';
import { APP_CONFIG } from '@paychat/platform';
import type { ConversationMeta } from '../conversations/conversation';
import { conversationNotFound, ConversationsRepository } from '../conversations/conversations.repository';
import { cancelReasons, pause } from '../db/dynamo-helpers';
import { activityKey, convPk, messageId, msgSk } from '../db/keys';
import { InboxFanout } from '../delivery/inbox-fanout';
import { MessageSignals } from '../delivery/message-signals';
import type { MessagesEnv } from '../messages.env';
import {
  dedupePut,
  MAX_ATTEMPTS,
  messagePut,
  metaBump,
  MetaSet,
  senderInbox,
  type TransactItem,
} from './log-items';
import { MessageDraft, MessageItem, MessageView, toMessageView } from './message';

/** A membership change that commits together with the message announcing it. */
export interface MetaChange extends MetaSet {
  /** The members after the change (who the message is fanned out to). */
  members: string[];
  /** The sender leaves: their inbox row goes in the same transaction instead of being updated. */
  senderLeaves?: boolean;
}

export interface AppendOptions {
  /** The dedupe item's sort key: the same key again returns the first message (no second one). */
  dedupeSk: string;
  /** Who may post, checked against the META read in the same attempt; otherwise 404. */
  allowed: (meta: ConversationMeta) => boolean;
  change?: (meta: ConversationMeta) => MetaChange;
  /** Stored on the message item but not shown (e.g. a payment request's event version). */
  hidden?: Record<string, unknown>;
  /** The caller announces the chat's news itself (a relayed batch: once per chat, not per message). */
  silent?: boolean;
  /** Condition checks committed with the message (e.g. no block between a direct chat's pair). */
  guard?: { items: TransactItem[]; refusal: () => AppError };
}

/**
 * The one writer of messages. A message costs one GetItem (META: membership and sequence) and
 * O(1) synchronous writes whatever the group size: one TransactWriteItems of the META sequence
 * bump (conditional on the sequence read), the message, its dedupe record (conditional on
 * absence) and the sender's own inbox row (read pointer + activity). Other members are reached
 * afterwards, off the request path (InboxFanout), and long-polls are woken (MessageSignals). A
 * cancelled transaction tells which condition failed: the dedupe record means a repeat (answered
 * with the first message), the sequence means another message took the number (read and retry).
 */
@Injectable()
export class MessageLog {
  private readonly table: string;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly conversations: ConversationsRepository,
    private readonly fanout: InboxFanout,
    private readonly signals: MessageSignals,
    @Inject(APP_CONFIG) config: MessagesEnv,
  ) {
    this.table = config.MESSAGES_TABLE;
  }

  async append(
    convId: string,
    draft: MessageDraft,
    opts: AppendOptions,
  ): Promise<{ created: boolean; message: MessageView }> {
    const dedupeKey = { PK: convPk(convId), SK: opts.dedupeSk };
    for (let attempt = 0; ; attempt++) {
      const meta = await this.conversations.getMeta(convId);
      if (!meta || !opts.allowed(meta)) throw conversationNotFound();
      const seq = meta.lastSeq + 1;
      const now = new Date().toISOString();
      const message: MessageView = {
        id: messageId(convId, seq),
        conversationId: convId,
        ...draft,
        createdAt: now,
      };
      const change = opts.change?.(meta);
      const items = [
        metaBump(this.table, seq, meta.lastSeq, message, change),
        messagePut(this.table, seq, message, opts.hidden),
        dedupePut(this.table, convId, opts.dedupeSk, seq),
        ...(message.senderId
          ? [senderInbox(this.table, message.senderId, convId, seq, now, change?.senderLeaves)]
          : []),
      ];
      const guarded = items.length;
      try {
        await this.db.send(
          new TransactWriteCommand({ TransactItems: [...items, ...(opts.guard?.items ?? [])] }),
        );
      } catch (err) {
        const reasons = cancelReasons(err);
        if (!reasons || attempt >= MAX_ATTEMPTS) throw err;
        if (reasons[2] === 'ConditionalCheckFailed') {
          // The dedupe record exists: a repeat (or its concurrent twin won). Answer with that message.
          const dedupe = await this.db.send(
            new GetCommand({ TableName: this.table, Key: dedupeKey, ConsistentRead: true }),
          );
          if (dedupe.Item)
            return { created: false, message: await this.get(convId, dedupe.Item.seq as number) };
        }
        if (opts.guard && reasons.slice(guarded).includes('ConditionalCheckFailed'))
          throw opts.guard.refusal();
        await pause(attempt); // another message took this sequence number, or a transaction conflict
        continue;
      }
      if (!opts.silent) this.announce(change?.members ?? meta.memberIds, [message]);
      return { created: true, message };
    }
  }

  /**
   * After a commit of `news` (messages of one chat, in commit order): wakes the chat's
   * long-polls with them, then moves it up the other members' lists and pushes the last one — or
   * only pushes, given `pollingUntil`: their rows moved in the transaction (MessageBatch).
   */
  announce(members: string[], news: MessageView[], pollingUntil?: Map<string, number>): void {
    const last = news[news.length - 1];
    const convId = last.conversationId;
    this.signals.notify(convId, news);
    const others = members.filter((m) => m !== last.senderId);
    if (pollingUntil) this.fanout.push(others, last, pollingUntil);
    else this.fanout.deliver(others, last, activityKey(last.createdAt, convId));
  }

  async get(convId: string, seq: number): Promise<MessageView> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { PK: convPk(convId), SK: msgSk(seq) },
        ConsistentRead: true,
      }),
    );
    return toMessageView(out.Item as MessageItem);
  }
}
