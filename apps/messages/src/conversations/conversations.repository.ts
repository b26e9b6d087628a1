import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { directConversationId } from '@paychat/contracts';
import { AppError } from '@paychat/errors';
import { APP_CONFIG, decodeCursor, encodeCursor, type Page } from '@paychat/platform';
import { ulid } from 'ulid';
import { batchGetAll, batchPutAll, cancelReasons, pause } from '../db/dynamo-helpers';
import { activityKey, convPk, INBOX_INDEX, inboxSk, META, userPk } from '../db/keys';
import type { MessagesEnv } from '../messages.env';
import { ConversationMeta, ConversationView, toConversationView } from './conversation';

const MAX_ATTEMPTS = 60;

export const conversationNotFound = () => new AppError('not_found', 'Conversation not found');

/** A member's inbox row: the chat in their list (GSI1, by latest activity) and their read pointer. */
export function inboxItem(userId: string, convId: string, at: string, readSeq: number) {
  return {
    PK: userPk(userId),
    SK: inboxSk(convId),
    convId,
    readSeq,
    joinedAt: at,
    GSI1PK: userPk(userId),
    GSI1SK: activityKey(at, convId),
  };
}

/** Conversation items and inbox rows: GetItem, Query and conditional writes only (never a Scan). */
@Injectable()
export class ConversationsRepository {
  private readonly table: string;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    @Inject(APP_CONFIG) config: MessagesEnv,
  ) {
    this.table = config.MESSAGES_TABLE;
  }

  async getMeta(convId: string): Promise<ConversationMeta | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { PK: convPk(convId), SK: META }, ConsistentRead: true }),
    );
    return out.Item as ConversationMeta | undefined;
  }

  /** The conversation for a member; 404 for anyone else, exactly as for an unknown id. */
  async getForMember(convId: string, userId: string): Promise<ConversationMeta> {
    const meta = await this.getMeta(convId);
    if (!meta || !meta.memberIds.includes(userId)) throw conversationNotFound();
    return meta;
  }

  async view(meta: ConversationMeta, userId: string): Promise<ConversationView> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { PK: userPk(userId), SK: inboxSk(meta.id) },
        ConsistentRead: true,
      }),
    );
    return toConversationView(meta, (out.Item?.readSeq as number | undefined) ?? 0);
  }

  /**
   * The pair's direct chat, created if absent. Usually it exists (every relayed transfer asks): one
   * GetItem. Else one transaction of the META put (conditional on absence: it decides who created
   * it, whatever races) and both inbox rows.
   */
  async ensureDirect(a: string, b: string): Promise<{ created: boolean; meta: ConversationMeta }> {
    const found = await this.getMeta(directConversationId(a, b));
    return found ? { created: false, meta: found } : this.createDirect(a, b);
  }

  /** Creates the pair's direct chat that a read found absent; if a concurrent creator won, theirs. */
  async createDirect(a: string, b: string): Promise<{ created: boolean; meta: ConversationMeta }> {
    const id = directConversationId(a, b);
    const now = new Date().toISOString();
    const meta = this.newMeta(id, 'direct', [a, b], undefined, now);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: this.table, Item: meta, ConditionExpression: 'attribute_not_exists(PK)' } },
              ...[a, b].map((m) => ({ Put: { TableName: this.table, Item: inboxItem(m, id, now, 0) } })),
            ],
          }),
        );
        return { created: true, meta };
      } catch (err) {
        const reasons = cancelReasons(err);
        if (!reasons) throw err;
        if (reasons[0] === 'ConditionalCheckFailed') {
          const existing = await this.getMeta(id);
          if (existing) return { created: false, meta: existing };
        }
        if (attempt >= MAX_ATTEMPTS) throw err;
        await pause(attempt);
      }
    }
  }

  /**
   * A group: a fresh id, so no race. META first (it decides membership), then the inbox rows (up
   * to 100: more than a transaction holds) in idempotent batches; a crash between the two only
   * leaves the chat missing from someone's list, never access granted wrongly.
   */
  async createGroup(members: string[], title: string | undefined): Promise<ConversationMeta> {
    const now = new Date().toISOString();
    const meta = this.newMeta(`G-${ulid()}`, 'group', members, title, now);
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.table, Item: meta, ConditionExpression: 'attribute_not_exists(PK)' } },
        ],
      }),
    );
    await this.addInboxRows(members, meta.id, now, 0);
    return meta;
  }

  addInboxRows(userIds: string[], convId: string, at: string, readSeq: number): Promise<void> {
    return batchPutAll(
      this.db,
      this.table,
      userIds.map((u) => inboxItem(u, convId, at, readSeq)),
    );
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
        ExclusiveStartKey: cursor ? startKey(cursor, userPk(userId)) : undefined,
      }),
    );
    const convIds = (out.Items ?? []).map((i) => String(i.SK).slice('CONV#'.length));
    const found = await batchGetAll(
      this.db,
      this.table,
      convIds.flatMap((id) => [
        { PK: convPk(id), SK: META },
        { PK: userPk(userId), SK: inboxSk(id) },
      ]),
    );
    const items: ConversationView[] = [];
    for (const id of convIds) {
      const meta = found.get(`${convPk(id)}|${META}`) as ConversationMeta | undefined;
      const row = found.get(`${userPk(userId)}|${inboxSk(id)}`);
      if (!meta || !meta.memberIds.includes(userId)) continue; // half-created or left: not shown
      items.push(toConversationView(meta, (row?.readSeq as number | undefined) ?? 0));
    }
    return { items, nextCursor: out.LastEvaluatedKey ? inboxCursor(out.LastEvaluatedKey) : null };
  }

  private newMeta(
    id: string,
    kind: ConversationMeta['kind'],
    memberIds: string[],
    title: string | undefined,
    now: string,
  ): ConversationMeta {
    return {
      PK: convPk(id),
      SK: META,
      id,
      kind,
      ...(title ? { title } : {}),
      memberIds,
      lastSeq: 0,
      createdAt: now,
      updatedAt: now,
    };
  }
}

/** GSI1's LastEvaluatedKey without the partition, which is the caller's own whoever sends it back. */
interface InboxCursor {
  gsk: string;
  sk: string;
}

const inboxCursor = (key: Record<string, unknown>) =>
  encodeCursor({ gsk: String(key.GSI1SK), sk: String(key.SK) } satisfies InboxCursor);

function startKey(cursor: string, pk: string): Record<string, unknown> {
  const { gsk, sk } = decodeCursor<InboxCursor>(
    cursor,
    (c) => typeof c.gsk === 'string' && typeof c.sk === 'string' && c.sk.startsWith('CONV#'),
  );
  return { GSI1PK: pk, GSI1SK: gsk, PK: pk, SK: sk };
}
