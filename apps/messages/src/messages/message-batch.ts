import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@paychat/platform';
import type { ConversationMeta } from '../conversations/conversation';
import { conversationNotFound, ConversationsRepository } from '../conversations/conversations.repository';
import { batchGetAll, cancelReasons, pause } from '../db/dynamo-helpers';
import { convPk, inboxSk, META, messageId, userPk } from '../db/keys';
import type { MessagesEnv } from '../messages.env';
import {
  dedupePut,
  MAX_ATTEMPTS,
  memberInbox,
  messagePut,
  metaBump,
  senderInbox,
  type TransactItem,
} from './log-items';
import type { MessageDraft, MessageView } from './message';

/** One message of a batch: what MessageLog.append takes, minus the options a batch shares. */
export interface BatchEntry {
  draft: MessageDraft;
  dedupeSk: string;
  hidden?: Record<string, unknown>;
  /** The message's time when it is not now: when the relayed change happened (ISO 8601). */
  createdAt?: string;
}

/** TransactWriteItems' cap on items per transaction. */
export const MAX_TRANSACTION_ITEMS = 100;

/** The inbox rows a transaction of `entries` updates: each sender's, and each of `members`. */
function inboxOwners(entries: BatchEntry[], members: string[]): Set<string> {
  return new Set([...entries.flatMap((e) => (e.draft.senderId ? [e.draft.senderId] : [])), ...members]);
}

/** META once, a message and its dedupe record each, one inbox row per sender or member. */
export function transactionItems(entries: BatchEntry[], members: string[]): number {
  return 1 + 2 * entries.length + inboxOwners(entries, members).size;
}

export function fitsOneTransaction(entries: BatchEntry[], members: string[]): boolean {
  return transactionItems(entries, members) <= MAX_TRANSACTION_ITEMS;
}

/** What one chat reads before its writes (MessageBatch.read). */
export interface ChatRead {
  meta?: ConversationMeta;
  /** Dedupe key → the seq of its committed message. */
  seen: Map<string, number>;
  /** The members' `pollingUntil` (who is long-polling: no push). */
  polling: Map<string, number>;
}

/** One chat's new messages for MessageBatch.appendMany: they follow `lastSeq`. */
export interface ChatRun {
  convId: string;
  lastSeq: number;
  entries: BatchEntry[];
  members: string[];
}

export type Written = { seq: number; message: MessageView }[];

/**
 * Many messages for the price of one call (the wallet's relay: batches carry many events, over
 * many chats): a pre-read of every chat's META and dedupe records in one BatchGetItem, then one
 * TransactWriteItems for up to ~48 messages of a chat, or for several chats (appendMany) — per
 * chat a single META sequence bump over consecutive numbers, each message and its dedupe record
 * (conditional on absence), each sender's inbox row once (read pointer at their own last message;
 * DynamoDB allows one operation per item) and the other `members`' rows (activity: the chat moves
 * up their list with no fan-out write; their `pollingUntil`, for the push decision, comes from the
 * pre-read). Wakes and pushes are the caller's (once per chat: MessageLog.announce).
 */
@Injectable()
export class MessageBatch {
  private readonly table: string;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly conversations: ConversationsRepository,
    @Inject(APP_CONFIG) config: MessagesEnv,
  ) {
    this.table = config.MESSAGES_TABLE;
  }

  /**
   * Each chat's META (if it exists), which of its dedupe records exist → their message's seq, and
   * its `members`' `pollingUntil`: all chats in one strongly consistent BatchGetItem per 100 keys.
   */
  async read(chats: { convId: string; dedupeSks: string[]; members: string[] }[]): Promise<ChatRead[]> {
    const keysOf = ({ convId, dedupeSks, members }: (typeof chats)[number]) => ({
      own: [META, ...new Set(dedupeSks)].map((SK) => ({ PK: convPk(convId), SK })),
      rows: members.map((m) => ({ PK: userPk(m), SK: inboxSk(convId) })),
    });
    const keys = chats.map(keysOf);
    const found = await batchGetAll(
      this.db,
      this.table,
      keys.flatMap((k) => [...k.own, ...k.rows]),
    );
    const get = (key: { PK: string; SK: string }) => found.get(`${key.PK}|${key.SK}`);
    return chats.map(({ convId, dedupeSks, members }, c) => {
      const seen = new Map<string, number>();
      for (const SK of dedupeSks) {
        const item = get({ PK: convPk(convId), SK });
        if (item) seen.set(SK, item.seq as number);
      }
      const polling = new Map<string, number>();
      members.forEach((m, i) => {
        const until = get(keys[c].rows[i])?.pollingUntil;
        if (typeof until === 'number') polling.set(m, until);
      });
      return { meta: get(keys[c].own[0]) as ConversationMeta | undefined, seen, polling };
    });
  }

  /**
   * Appends the entries (distinct dedupe keys; `fitsOneTransaction`) as consecutive messages after
   * `lastSeq`, re-reading META when another writer took that number. Null when a dedupe record
   * already exists (a concurrent delivery got there first): only per-message handling sorts that out.
   */
  async append(
    convId: string,
    lastSeq: number,
    entries: BatchEntry[],
    members: string[],
    allowed: (meta: ConversationMeta) => boolean,
  ): Promise<Written | null> {
    const run = { convId, lastSeq, entries, members };
    for (let attempt = 0; ; attempt++) {
      const { written, items } = this.build(run);
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        return written;
      } catch (err) {
        const reasons = cancelReasons(err);
        if (!reasons || attempt >= MAX_ATTEMPTS) throw err;
        if (entries.some((_, i) => reasons[2 + 2 * i] === 'ConditionalCheckFailed')) return null;
        await pause(attempt); // another message took the sequence number, or a transaction conflict
        if (reasons[0] === 'ConditionalCheckFailed') {
          const meta = await this.conversations.getMeta(convId);
          if (!meta || !allowed(meta)) throw conversationNotFound();
          run.lastSeq = meta.lastSeq;
        }
      }
    }
  }

  /**
   * Several chats' runs (distinct chats; ≤ 100 items in all) in one TransactWriteItems: the calls,
   * not the items, are what DynamoDB queues on. When it is cancelled, the chats whose items all
   * passed are retried together at once; a chat with a failed item gets null (it goes through
   * `append` or one by one: a sequence or dedupe clash, a conflict, each handled per chat).
   */
  async appendMany(runs: ChatRun[]): Promise<(Written | null)[]> {
    const results: (Written | null)[] = runs.map(() => null);
    let pending = runs.map((_, i) => i);
    for (let attempt = 0; pending.length > 0; attempt++) {
      const built = pending.map((i) => this.build(runs[i]));
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: built.flatMap((b) => b.items) }));
        pending.forEach((i, k) => (results[i] = built[k].written));
        break;
      } catch (err) {
        const reasons = cancelReasons(err);
        if (!reasons || attempt >= MAX_ATTEMPTS) throw err;
        let at = 0;
        const passed = pending.filter((_, k) => {
          const mine = reasons.slice(at, (at += built[k].items.length));
          return mine.every((code) => !code || code === 'None');
        });
        if (passed.length === pending.length) await pause(attempt); // no item named: throttled
        pending = passed;
      }
    }
    return results;
  }

  /**
   * The items writing `run` now: META bump, message + dedupe record each, the inbox rows once each.
   * A message is stamped with its entry's time when it has one; the inbox rows' activity is now
   * (the chat has news now, whenever the change happened).
   */
  private build({ convId, lastSeq, entries, members }: ChatRun): { written: Written; items: TransactItem[] } {
    const now = new Date().toISOString();
    const written = entries.map((e, i) => {
      const seq = lastSeq + 1 + i;
      const createdAt = e.createdAt ?? now;
      const message = { id: messageId(convId, seq), conversationId: convId, ...e.draft, createdAt };
      return { seq, message };
    });
    const lastBySender = new Map<string, number>();
    for (const { seq, message } of written) if (message.senderId) lastBySender.set(message.senderId, seq);
    const last = written[written.length - 1];
    const items = [
      metaBump(this.table, last.seq, lastSeq, last.message),
      ...written.flatMap(({ seq, message }, i) => [
        messagePut(this.table, seq, message, entries[i].hidden),
        dedupePut(this.table, convId, entries[i].dedupeSk, seq),
      ]),
      ...[...inboxOwners(entries, members)].map((u) => {
        const seq = lastBySender.get(u);
        return seq === undefined
          ? memberInbox(this.table, u, convId, now)
          : senderInbox(this.table, u, convId, seq, now);
      }),
    ];
    return { written, items };
  }
}
