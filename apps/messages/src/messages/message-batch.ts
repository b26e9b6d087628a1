import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@paychat/platform';
import type { ConversationMeta } from '../conversations/conversation';
import { conversationNotFound, ConversationsRepository } from '../conversations/conversations.repository';
import { batchGetAll, cancelReasons, pause } from '../db/dynamo-helpers';
import { convPk, inboxSk, META, messageId, userPk } from '../db/keys';
import type { MessagesEnv } from '../messages.env';
import { dedupePut, MAX_ATTEMPTS, memberInbox, messagePut, metaBump, senderInbox } from './log-items';
import type { MessageDraft, MessageView } from './message';

/** One message of a batch: what MessageLog.append takes, minus the options a batch shares. */
export interface BatchEntry {
  draft: MessageDraft;
  dedupeSk: string;
  hidden?: Record<string, unknown>;
}

/** TransactWriteItems' cap on items per transaction. */
const MAX_TRANSACTION_ITEMS = 100;

/** The inbox rows a transaction of `entries` updates: each sender's, and each of `members`. */
function inboxOwners(entries: BatchEntry[], members: string[]): Set<string> {
  return new Set([...entries.flatMap((e) => (e.draft.senderId ? [e.draft.senderId] : [])), ...members]);
}

/** META once, a message and its dedupe record each, one inbox row per sender or member. */
export function fitsOneTransaction(entries: BatchEntry[], members: string[]): boolean {
  return 1 + 2 * entries.length + inboxOwners(entries, members).size <= MAX_TRANSACTION_ITEMS;
}

/**
 * Several messages of one chat for the price of one (used by the wallet's relay, whose batches
 * carry many events per chat): a pre-read of META and the dedupe records in one BatchGetItem, then
 * one TransactWriteItems for up to ~48 messages — a single META sequence bump over consecutive
 * numbers, each message and its dedupe record (conditional on absence), each sender's inbox row
 * once (read pointer at their own last message; DynamoDB allows one operation per item) and the
 * other `members`' rows (activity: the chat moves up their list with no fan-out write; their
 * `pollingUntil`, for the push decision, comes from the pre-read). Wakes and pushes are the
 * caller's (once per chat: MessageLog.announce).
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
   * The chat's META (if it exists), which dedupe records exist → their message's seq, and the
   * members' `pollingUntil` (who is long-polling: no push); one strongly consistent BatchGetItem.
   */
  async read(
    convId: string,
    dedupeSks: string[],
    members: string[],
  ): Promise<{ meta?: ConversationMeta; seen: Map<string, number>; polling: Map<string, number> }> {
    const keys = [META, ...new Set(dedupeSks)].map((SK) => ({ PK: convPk(convId), SK }));
    const rows = members.map((m) => ({ PK: userPk(m), SK: inboxSk(convId) }));
    const found = await batchGetAll(this.db, this.table, [...keys, ...rows]);
    const seen = new Map<string, number>();
    for (const sk of dedupeSks) {
      const item = found.get(`${convPk(convId)}|${sk}`);
      if (item) seen.set(sk, item.seq as number);
    }
    const polling = new Map<string, number>();
    members.forEach((m, i) => {
      const until = found.get(`${rows[i].PK}|${rows[i].SK}`)?.pollingUntil;
      if (typeof until === 'number') polling.set(m, until);
    });
    return { meta: found.get(`${convPk(convId)}|${META}`) as ConversationMeta | undefined, seen, polling };
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
  ): Promise<{ seq: number; message: MessageView }[] | null> {
    let expected = lastSeq;
    for (let attempt = 0; ; attempt++) {
      const now = new Date().toISOString();
      const written = entries.map((e, i) => {
        const seq = expected + 1 + i;
        const message = { id: messageId(convId, seq), conversationId: convId, ...e.draft, createdAt: now };
        return { seq, message };
      });
      const lastBySender = new Map<string, number>();
      for (const { seq, message } of written) if (message.senderId) lastBySender.set(message.senderId, seq);
      const last = written[written.length - 1];
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              metaBump(this.table, last.seq, expected, last.message),
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
            ],
          }),
        );
        return written;
      } catch (err) {
        const reasons = cancelReasons(err);
        if (!reasons || attempt >= MAX_ATTEMPTS) throw err;
        if (entries.some((_, i) => reasons[2 + 2 * i] === 'ConditionalCheckFailed')) return null;
        await pause(attempt); // another message took the sequence number, or a transaction conflict
        if (reasons[0] === 'ConditionalCheckFailed') {
          const meta = await this.conversations.getMeta(convId);
          if (!meta || !allowed(meta)) throw conversationNotFound();
          expected = meta.lastSeq;
        }
      }
    }
  }
}
