import { DynamoDBDocumentClient, DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { USER_ID } from '@paychat/contracts';
import { AppError } from '@paychat/errors';
import { APP_CONFIG, decodeCursor, encodeCursor, type Page } from '@paychat/platform';
import { batchGetAll, isConditionFailed } from '../db/dynamo-helpers';
import { BLOCK_PREFIX, blockSk, userPk } from '../db/keys';
import type { TransactItem } from '../messages/log-items';
import type { MessagesEnv } from '../messages.env';

export interface BlockView {
  userId: string;
  createdAt: string;
}

export const blockedError = () =>
  new AppError('blocked', 'One of you has blocked the other, so this is not possible between you');

/** Both directions of a pair: a block works both ways, whoever placed it. */
const pairKeys = (a: string, b: string) => [
  { PK: userPk(a), SK: blockSk(b) },
  { PK: userPk(b), SK: blockSk(a) },
];

/**
 * Blocks: one item per (blocker, blocked) under the blocker's user partition, so my list is one
 * Query and "has either of us blocked the other" is two keys of one BatchGetItem.
 */
@Injectable()
export class BlocksRepository {
  private readonly table: string;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    @Inject(APP_CONFIG) config: MessagesEnv,
  ) {
    this.table = config.MESSAGES_TABLE;
  }

  /** Idempotent: blocking again keeps the first `createdAt`. */
  async block(blockerId: string, blockedId: string): Promise<void> {
    if (blockerId === blockedId)
      throw new AppError('validation_failed', 'Request is invalid', [
        { field: 'userId', message: 'cannot be myself' },
      ]);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            PK: userPk(blockerId),
            SK: blockSk(blockedId),
            userId: blockedId,
            createdAt: new Date().toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  async unblock(blockerId: string, blockedId: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({ TableName: this.table, Key: { PK: userPk(blockerId), SK: blockSk(blockedId) } }),
    );
  }

  /** The users I have blocked, by user id, in cursor pages (the cursor holds the last user id). */
  async list(blockerId: string, limit: number, cursor?: string): Promise<Page<BlockView>> {
    const pk = userPk(blockerId);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': BLOCK_PREFIX },
        Limit: limit,
        ExclusiveStartKey: cursor ? { PK: pk, SK: blockSk(blockedAfter(cursor)) } : undefined,
      }),
    );
    const items = (out.Items ?? []).map((i) => ({
      userId: i.userId as string,
      createdAt: i.createdAt as string,
    }));
    const last = out.LastEvaluatedKey ? items[items.length - 1] : undefined;
    return { items, nextCursor: last ? encodeCursor({ userId: last.userId } satisfies BlocksCursor) : null };
  }

  /** Refuses (403 `blocked`) when `userId` and any of `others` has blocked the other. */
  async assertNone(userId: string, others: string[]): Promise<void> {
    if (await this.anyBetween(userId, others)) throw blockedError();
  }

  async anyBetween(userId: string, others: string[]): Promise<boolean> {
    const found = await batchGetAll(
      this.db,
      this.table,
      others.flatMap((o) => pairKeys(userId, o)),
    );
    return found.size > 0;
  }

  /** Transaction items that fail unless neither of the pair has blocked the other (see MessageLog). */
  guard(a: string, b: string): TransactItem[] {
    return pairKeys(a, b).map((Key) => ({
      ConditionCheck: { TableName: this.table, Key, ConditionExpression: 'attribute_not_exists(PK)' },
    }));
  }
}

interface BlocksCursor {
  userId: string;
}

const blockedAfter = (cursor: string) =>
  decodeCursor<BlocksCursor>(cursor, (c) => typeof c.userId === 'string' && USER_ID.test(c.userId)).userId;
