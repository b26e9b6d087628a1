import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@paychat/errors';
import { APP_CONFIG } from '@paychat/platform';
import { ulid } from 'ulid';
import type { MessagesEnv } from '../messages.env';
import type { ConversationView, MessageView, Page } from './conversations.dto';
import { InboxFanout } from './inbox-fanout';
import {
  activityKey,
  convPk,
  dedupeSk,
  directConversationId,
  INBOX_INDEX,
  inboxSk,
  META,
  messageId,
  MSG_FIRST,
  MSG_LAST,
  msgSk,
  parseMessageId,
  userPk,
} from './keys';

export const UNREAD_CAP = 100;
const MAX_ATTEMPTS = 60;

interface MetaItem {
  PK: string;
  SK: string;
  id: string;
  kind: 'direct' | 'group';
  title?: string;
  memberIds: string[];
  lastSeq: number;
  lastMessage?: MessageView;
  createdAt: string;
  updatedAt: string;
}

interface InboxItem {
  PK: string;
  SK: string;
  convId: string;
  readSeq?: number;
}

interface MessageItem extends MessageView {
  seq: number;
}

const notFound = () => new AppError('not_found', 'Conversation not found');

/** Cancellation reason codes of a TransactWriteItems, in item order (null when it was not a cancel). */
function cancelReasons(err: unknown): (string | undefined)[] | null {
  if (!(err instanceof TransactionCanceledException)) return null;
  return (err.CancellationReasons ?? []).map((r) => r.Code);
}

const pause = (attempt: number) =>
  new Promise((r) => setTimeout(r, Math.min(5 + attempt * 5, 100) * (0.5 + Math.random())));

/** Every read and write of conversations and messages: GetItem, Query or TransactWriteItems only. */
@Injectable()
export class ConversationsStore {
  private readonly table: string;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly fanout: InboxFanout,
    @Inject(APP_CONFIG) config: MessagesEnv,
  ) {
    this.table = config.MESSAGES_TABLE;
  }

  /** Direct (exactly one other member): unique per pair, `created` false when it already existed. */
  async create(
    callerId: string,
    memberIds: string[],
    title: string | undefined,
  ): Promise<{ created: boolean; view: ConversationView }> {
    const others = memberIds.filter((m) => m !== callerId);
    if (others.length === 0)
      throw new AppError('validation_failed', 'A conversation needs another member', [
        { field: 'memberIds', message: 'must name someone other than the caller' },
      ]);
    const now = new Date().toISOString();
    const members = [callerId, ...others];
    const kind = others.length === 1 ? 'direct' : 'group';
    const id = kind === 'direct' ? directConversationId(callerId, others[0]) : `G-${ulid()}`;
    const meta: MetaItem = {
      PK: convPk(id),
      SK: META,
      id,
      kind,
      ...(kind === 'group' && title ? { title } : {}),
      memberIds: members,
      lastSeq: 0,
      createdAt: now,
      updatedAt: now,
    };
    const inbox = members.map((m) => this.inboxItem(m, id, now));

    if (kind === 'direct') {
      // One transaction (3 items): the conditional META put decides who created the pair's chat.
      for (let attempt = 0; ; attempt++) {
        try {
          await this.db.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: { TableName: this.table, Item: meta, ConditionExpression: 'attribute_not_exists(PK)' },
                },
                ...inbox.map((Item) => ({ Put: { TableName: this.table, Item } })),
              ],
            }),
          );
          return { created: true, view: this.view(meta, 0) };
        } catch (err) {
          const reasons = cancelReasons(err);
          if (!reasons) throw err;
          if (reasons[0] === 'ConditionalCheckFailed') {
            const existing = await this.getMeta(id);
            if (existing) return { created: false, view: await this.viewFor(existing, callerId) };
          }
          if (attempt >= MAX_ATTEMPTS) throw err;
          await pause(attempt);
        }
      }
    }

    // Group: a fresh id, so no race. META first (membership is decided by it), then the inbox rows
    // (up to 100: more than one transaction holds) in idempotent batches.
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.table, Item: meta, ConditionExpression: 'attribute_not_exists(PK)' } },
        ],
      }),
    );
    for (let i = 0; i < inbox.length; i += 25) {
      let requests: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = {
        [this.table]: inbox.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
      };
      for (let attempt = 0; requests && Object.keys(requests).length; attempt++) {
        if (attempt > 0) await pause(attempt);
        const out = await this.db.send(new BatchWriteCommand({ RequestItems: requests }));
        requests = out.UnprocessedItems as typeof requests;
      }
    }
    return { created: true, view: this.view(meta, 0) };
  }

  /** The conversation for a member; 404 for anyone else, exactly as for an unknown id. */
  async getForMember(convId: string, userId: string): Promise<MetaItem> {
    const meta = await this.getMeta(convId);
    if (!meta || !meta.memberIds.includes(userId)) throw notFound();
    return meta;
  }

  async get(convId: string, userId: string): Promise<ConversationView> {
    return this.viewFor(await this.getForMember(convId, userId), userId);
  }

  /** My conversations, latest activity first: one Query on GSI1 + one BatchGetItem for the page. */
  async list(userId: string, limit: number, cursor?: string): Promise<Page<ConversationView>> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: INBOX_INDEX,
        KeyConditionExpression: 'GSI1PK = :u',
        ExpressionAttributeValues: { ':u': userPk(userId) },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: cursor ? decodeCursor(cursor, userPk(userId)) : undefined,
      }),
    );
    const convIds = (out.Items ?? []).map((i) => String(i.SK).slice('CONV#'.length));
    const keys = convIds.flatMap((id) => [
      { PK: convPk(id), SK: META },
      { PK: userPk(userId), SK: inboxSk(id) },
    ]);
    const found = new Map<string, Record<string, unknown>>();
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + 100);
      for (let attempt = 0; pending?.length; attempt++) {
        if (attempt > 0) await pause(attempt);
        const got: BatchGetCommandOutput = await this.db.send(
          new BatchGetCommand({
            RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true } },
          }),
        );
        for (const item of got.Responses?.[this.table] ?? []) found.set(`${item.PK}|${item.SK}`, item);
        pending = got.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    const items: ConversationView[] = [];
    for (const id of convIds) {
      const meta = found.get(`${convPk(id)}|${META}`) as MetaItem | undefined;
      const row = found.get(`${userPk(userId)}|${inboxSk(id)}`) as InboxItem | undefined;
      if (!meta || !meta.memberIds.includes(userId)) continue; // half-created or left: not shown
      items.push(this.view(meta, row?.readSeq ?? 0));
    }
    return {
      items,
      nextCursor: out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : null,
    };
  }

  /**
   * Sends a text message: O(1) synchronous writes whatever the group size — one TransactWriteItems
   * of the META sequence bump (conditional on the sequence read), the message, its dedupe record
   * (conditional on absence) and the sender's own inbox row (read pointer + activity). Other members'
   * inbox activity is updated afterwards, best-effort (InboxFanout).
   */
  async send(
    convId: string,
    senderId: string,
    clientMessageId: string,
    text: string,
  ): Promise<{ created: boolean; message: MessageView }> {
    const dedupeKey = { PK: convPk(convId), SK: dedupeSk(senderId, clientMessageId) };
    for (let attempt = 0; ; attempt++) {
      const [meta, dedupe] = await Promise.all([
        this.getForMember(convId, senderId),
        this.db.send(new GetCommand({ TableName: this.table, Key: dedupeKey, ConsistentRead: true })),
      ]);
      if (dedupe.Item) return { created: false, message: dedupe.Item.message as MessageView };

      const seq = meta.lastSeq + 1;
      const now = new Date().toISOString();
      const message: MessageView = {
        id: messageId(convId, seq),
        conversationId: convId,
        senderId,
        kind: 'text',
        text,
        createdAt: now,
      };
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.table,
                  Key: { PK: convPk(convId), SK: META },
                  UpdateExpression: 'SET lastSeq = :seq, lastMessage = :msg, updatedAt = :now',
                  ConditionExpression: 'lastSeq = :expected',
                  ExpressionAttributeValues: {
                    ':seq': seq,
                    ':msg': message,
                    ':now': now,
                    ':expected': meta.lastSeq,
                  },
                },
              },
              {
                Put: {
                  TableName: this.table,
                  Item: { PK: convPk(convId), SK: msgSk(seq), seq, clientMessageId, ...message },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              {
                Put: {
                  TableName: this.table,
                  Item: { ...dedupeKey, seq, message },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              {
                // Sending implies having read everything up to here: own messages are never unread.
                Update: {
                  TableName: this.table,
                  Key: { PK: userPk(senderId), SK: inboxSk(convId) },
                  UpdateExpression:
                    'SET readSeq = :seq, convId = :conv, GSI1PK = :gpk, GSI1SK = :gsk, joinedAt = if_not_exists(joinedAt, :now)',
                  ExpressionAttributeValues: {
                    ':seq': seq,
                    ':conv': convId,
                    ':gpk': userPk(senderId),
                    ':gsk': activityKey(now, convId),
                    ':now': now,
                  },
                },
              },
            ],
          }),
        );
        this.fanout.touch(
          meta.memberIds.filter((m) => m !== senderId),
          convId,
          activityKey(now, convId),
        );
        return { created: true, message };
      } catch (err) {
        const reasons = cancelReasons(err);
        if (!reasons || attempt >= MAX_ATTEMPTS) throw err;
        // A dedupe conflict means the same send committed concurrently: the next loop reads it back.
        // A sequence conflict or a TransactionConflict: another message won this slot; try the next.
        await pause(reasons[2] === 'ConditionalCheckFailed' ? 0 : attempt);
      }
    }
  }

  /**
   * History by key range on the sequence: newest first (no cursor, or `before`), oldest first
   * (`after`). Sequences are assigned in the same transaction as the message, so a range never
   * skips a message that commits later.
   */
  async history(
    convId: string,
    userId: string,
    q: { limit: number; before?: string; after?: string },
  ): Promise<Page<MessageView>> {
    if (q.before && q.after)
      throw new AppError('validation_failed', 'Use either before or after', [
        { field: 'after', message: 'cannot be combined with before' },
      ]);
    await this.getForMember(convId, userId);
    const anchor = q.before ?? q.after;
    const parsed = anchor ? parseMessageId(anchor) : null;
    if (anchor && parsed?.conversationId !== convId)
      throw new AppError('validation_failed', 'Request is invalid', [
        { field: q.before ? 'before' : 'after', message: 'is not a message of this conversation' },
      ]);
    const forward = Boolean(q.after);
    let from = MSG_FIRST;
    let to = MSG_LAST;
    if (q.before) to = msgSk(parsed!.seq - 1);
    if (q.after) from = msgSk(parsed!.seq + 1);
    if (from > to) return { items: [], nextCursor: null };
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': convPk(convId), ':from': from, ':to': to },
        ScanIndexForward: forward,
        Limit: q.limit + 1,
        ConsistentRead: true,
      }),
    );
    const rows = (out.Items ?? []) as MessageItem[];
    const items = rows.slice(0, q.limit).map(toMessageView);
    return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
  }

  /** Moves my read pointer forward only (a conditional update; a stale one is a no-op). */
  async markRead(convId: string, userId: string, id: string): Promise<void> {
    const meta = await this.getForMember(convId, userId);
    const parsed = parseMessageId(id);
    if (!parsed || parsed.conversationId !== convId || parsed.seq > meta.lastSeq)
      throw new AppError('not_found', 'Message not found');
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { PK: userPk(userId), SK: inboxSk(convId) },
          UpdateExpression: 'SET readSeq = :seq',
          ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(readSeq) OR readSeq < :seq)',
          ExpressionAttributeValues: { ':seq': parsed.seq },
        }),
      );
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
    }
  }

  private async getMeta(convId: string): Promise<MetaItem | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { PK: convPk(convId), SK: META }, ConsistentRead: true }),
    );
    return out.Item as MetaItem | undefined;
  }

  private async viewFor(meta: MetaItem, userId: string): Promise<ConversationView> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { PK: userPk(userId), SK: inboxSk(meta.id) },
        ConsistentRead: true,
      }),
    );
    return this.view(meta, (out.Item as InboxItem | undefined)?.readSeq ?? 0);
  }

  private inboxItem(userId: string, convId: string, at: string): Record<string, unknown> {
    return {
      PK: userPk(userId),
      SK: inboxSk(convId),
      convId,
      readSeq: 0,
      joinedAt: at,
      GSI1PK: userPk(userId),
      GSI1SK: activityKey(at, convId),
    };
  }

  private view(meta: MetaItem, readSeq: number): ConversationView {
    return {
      id: meta.id,
      kind: meta.kind,
      title: meta.title ?? null,
      memberIds: meta.memberIds,
      createdAt: meta.createdAt,
      updatedAt: meta.updatedAt,
      lastMessage: meta.lastMessage ?? null,
      unreadCount: Math.min(UNREAD_CAP, Math.max(0, meta.lastSeq - readSeq)),
    };
  }
}

function toMessageView(row: MessageItem): MessageView {
  return {
    id: row.id,
    conversationId: row.conversationId,
    senderId: row.senderId,
    kind: row.kind,
    text: row.text,
    createdAt: row.createdAt,
  };
}

/** The inbox cursor is GSI1's LastEvaluatedKey, base64url; it is checked to be the caller's own. */
function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify([key.GSI1SK, key.SK])).toString('base64url');
}

function decodeCursor(cursor: string, pk: string): Record<string, unknown> {
  try {
    const [gsk, sk] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof gsk === 'string' && typeof sk === 'string' && sk.startsWith('CONV#'))
      return { GSI1PK: pk, GSI1SK: gsk, PK: pk, SK: sk };
  } catch {
    // fall through
  }
  throw new AppError('validation_failed', 'Request is invalid', [
    { field: 'cursor', message: 'is not valid' },
  ]);
}
