import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@paychat/errors';
import { APP_CONFIG } from '@paychat/platform';
import { LRUCache } from 'lru-cache';
import { ConversationsRepository } from '../conversations/conversations.repository';
import { isConditionFailed, isTransactionConflict, pause } from '../db/dynamo-helpers';
import { inboxSk, parseMessageId, userPk } from '../db/keys';
import type { MessagesEnv } from '../messages.env';

const CONFLICT_RETRIES = 5;

/** A member's own inbox row: how far they have read, and whether a long-poll of theirs is open. */
@Injectable()
export class ReadPointers {
  private readonly table: string;
  /** `user|chat` → the pollingUntil this instance last wrote (a lower bound of the stored one). */
  private readonly pollingWritten = new LRUCache<string, number>({ max: 100_000 });

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly conversations: ConversationsRepository,
    @Inject(APP_CONFIG) config: MessagesEnv,
  ) {
    this.table = config.MESSAGES_TABLE;
  }

  /** Forward only: a conditional update, so a stale or concurrent lower one is a no-op. */
  async markRead(convId: string, userId: string, id: string): Promise<void> {
    const meta = await this.conversations.getForMember(convId, userId);
    const parsed = parseMessageId(id);
    if (!parsed || parsed.conversationId !== convId || parsed.seq > meta.lastSeq)
      throw new AppError('not_found', 'Message not found');
    await this.update(
      userId,
      convId,
      'SET readSeq = :v',
      'attribute_not_exists(readSeq) OR readSeq < :v',
      parsed.seq,
    );
  }

  /**
   * Until `until` (the poll's deadline) the fan-out leaves this member's pushes to their long-poll.
   * Written only when what this instance wrote before does not cover `needed` (the end of the
   * coming wait): pollingUntil only grows (conditional), so nobody shortens it, and a busy chat's
   * poller costs a write about once per poll length instead of once per message. As before, a
   * phone that stops polling is pushed again at most one poll length after its last poll began.
   */
  async markPolling(userId: string, convId: string, until: number, needed: number): Promise<void> {
    const key = `${userId}|${convId}`;
    if ((this.pollingWritten.get(key) ?? 0) >= needed) return;
    const newer = 'attribute_not_exists(pollingUntil) OR pollingUntil < :v';
    await this.update(userId, convId, 'SET pollingUntil = :v', newer, until);
    this.pollingWritten.set(key, until);
  }

  private async update(
    userId: string,
    convId: string,
    expression: string,
    condition: string | undefined,
    value: number,
  ): Promise<void> {
    // The row is also written by message transactions (sender, direct chat member): retry a clash.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { PK: userPk(userId), SK: inboxSk(convId) },
            UpdateExpression: expression,
            ConditionExpression: `attribute_exists(PK)${condition ? ` AND (${condition})` : ''}`,
            ExpressionAttributeValues: { ':v': value },
          }),
        );
        return;
      } catch (err) {
        if (isConditionFailed(err)) return;
        if (!isTransactionConflict(err) || attempt >= CONFLICT_RETRIES) throw err;
        await pause(attempt);
      }
    }
  }
}
