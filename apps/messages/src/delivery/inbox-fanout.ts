import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@paychat/platform';
import { isConditionFailed } from '../db/dynamo-helpers';
import { inboxSk, userPk } from '../db/keys';
import type { MessageView } from '../messages/message';
import type { MessagesEnv } from '../messages.env';
import { Notifier } from './notifier';

const PARALLEL = 10;

/**
 * After a message committed, off the request path (a send stays O(1) synchronous writes whatever
 * the group size): moves each other member's chat to the top of their list (GSI1SK, monotonic —
 * an older activity never overwrites a newer one) and, reading the same row back for free, pushes
 * a notification to members who are not long-polling this chat. Best-effort: a lost update only
 * delays a chat's position in a list; its lastMessage and unreadCount are read from META anyway.
 */
@Injectable()
export class InboxFanout implements OnApplicationShutdown {
  private readonly logger = new Logger(InboxFanout.name);
  private readonly inFlight = new Set<Promise<void>>();
  private readonly table: string;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly notifier: Notifier,
    @Inject(APP_CONFIG) config: MessagesEnv,
  ) {
    this.table = config.MESSAGES_TABLE;
  }

  deliver(userIds: string[], message: MessageView, activity: string): void {
    this.track(message, this.run(userIds, message, activity));
  }

  /**
   * The rows already moved in the message's own transaction (a direct chat): only the pushes are
   * left, decided on `pollingUntil` as read just before that transaction.
   */
  push(userIds: string[], message: MessageView, pollingUntil: Map<string, number>): void {
    this.track(
      message,
      Promise.all(userIds.map((u) => this.pushUnlessPolling(u, message, pollingUntil.get(u)))),
    );
  }

  /** Resolves when every fan-out started so far has finished (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  onApplicationShutdown(): Promise<void> {
    return this.idle();
  }

  private track(message: MessageView, work: Promise<unknown>): void {
    const job = work.then(
      () => undefined,
      (err: Error) => this.logger.warn({ err, convId: message.conversationId }, 'inbox fan-out failed'),
    );
    this.inFlight.add(job);
    void job.finally(() => this.inFlight.delete(job));
  }

  private async run(userIds: string[], message: MessageView, activity: string): Promise<void> {
    for (let i = 0; i < userIds.length; i += PARALLEL) {
      await Promise.all(
        userIds.slice(i, i + PARALLEL).map((userId) => this.reach(userId, message, activity)),
      );
    }
  }

  private async reach(userId: string, message: MessageView, activity: string): Promise<void> {
    let row: Record<string, unknown> | undefined;
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { PK: userPk(userId), SK: inboxSk(message.conversationId) },
          UpdateExpression: 'SET GSI1SK = :a',
          ConditionExpression: 'attribute_exists(PK) AND GSI1SK < :a',
          ExpressionAttributeValues: { ':a': activity },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      row = out.Attributes;
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      // Errors are not unmarshalled by the document client.
      const item = (err as { Item?: Parameters<typeof unmarshall>[0] }).Item;
      row = item && unmarshall(item);
    }
    if (!row) return; // not (or no longer) a member: nothing to tell them
    await this.pushUnlessPolling(userId, message, row.pollingUntil as number | undefined);
  }

  private async pushUnlessPolling(userId: string, message: MessageView, pollingUntil?: number) {
    if (pollingUntil && pollingUntil > Date.now()) return; // their open long-poll delivers it
    await this.notifier
      .notify({ userId, message })
      .catch((err: Error) => this.logger.warn({ err: err.message, userId }, 'push notification failed'));
  }
}
