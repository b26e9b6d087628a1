import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@paychat/platform';
import type { MessagesEnv } from '../messages.env';
import { inboxSk, userPk } from './keys';

/**
 * Moves the other members' inbox rows (GSI1SK = latest activity) after a send, off the request
 * path: a send stays O(1) synchronous writes whatever the group size. Best-effort and monotonic
 * (an older activity never overwrites a newer one); a lost update only delays a chat's position in
 * the list until the next message — its lastMessage and unreadCount are read from META anyway.
 */
@Injectable()
export class InboxFanout implements OnApplicationShutdown {
  private readonly logger = new Logger(InboxFanout.name);
  private readonly inFlight = new Set<Promise<void>>();
  private readonly table: string;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    @Inject(APP_CONFIG) config: MessagesEnv,
  ) {
    this.table = config.MESSAGES_TABLE;
  }

  touch(userIds: string[], convId: string, activity: string): void {
    const job = this.run(userIds, convId, activity).catch((err: Error) =>
      this.logger.warn({ err, convId }, 'inbox fan-out failed'),
    );
    this.inFlight.add(job);
    void job.finally(() => this.inFlight.delete(job));
  }

  /** Resolves when every fan-out started so far has finished (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  onApplicationShutdown(): Promise<void> {
    return this.idle();
  }

  private async run(userIds: string[], convId: string, activity: string): Promise<void> {
    for (let i = 0; i < userIds.length; i += 10) {
      await Promise.all(
        userIds.slice(i, i + 10).map(async (userId) => {
          try {
            await this.db.send(
              new UpdateCommand({
                TableName: this.table,
                Key: { PK: userPk(userId), SK: inboxSk(convId) },
                UpdateExpression: 'SET GSI1SK = :a',
                ConditionExpression: 'attribute_exists(PK) AND GSI1SK < :a',
                ExpressionAttributeValues: { ':a': activity },
              }),
            );
          } catch (err) {
            if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
          }
        }),
      );
    }
  }
}
