import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@paychat/errors';
import { APP_CONFIG } from '@paychat/platform';
import { ConversationsRepository } from '../conversations/conversations.repository';
import { isConditionFailed } from '../db/dynamo-helpers';
import { inboxSk, parseMessageId, userPk } from '../db/keys';
import type { MessagesEnv } from '../messages.env';

/** A member's own inbox row: how far they have read, and whether a long-poll of theirs is open. */
@Injectable()
export class ReadPointers {
  private readonly table: string;

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

  /** Until then, the fan-out leaves this member's push notifications to their long-poll. */
  markPolling(userId: string, convId: string, until: number): Promise<void> {
    return this.update(userId, convId, 'SET pollingUntil = :v', undefined, until);
  }

  private async update(
    userId: string,
    convId: string,
    expression: string,
    condition: string | undefined,
    value: number,
  ): Promise<void> {
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
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }
}
