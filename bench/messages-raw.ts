import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  activityKey,
  convPk,
  dedupeSk,
  inboxSk,
  META,
  messageId,
  MSG_FIRST,
  MSG_LAST,
  msgSk,
  userPk,
} from '../apps/messages/src/db/keys';

/**
 * The messages service's DynamoDB calls, call for call, straight from the SDK: the ceiling the
 * service is compared with. A send: GetItem META, the same 4-item TransactWriteItems (sequence
 * bump, message, dedupe record, sender's inbox row), then the recipient's inbox update (the
 * service's asynchronous fan-out). A history page: GetItem META (membership) + the Query.
 */
export class RawMessages {
  private readonly db: DynamoDBDocumentClient;

  constructor(
    endpoint: string,
    private readonly table: string,
  ) {
    this.db = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint,
        region: 'ap-northeast-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
  }

  async send(convId: string, senderId: string, recipientId: string, clientMessageId: string, text: string) {
    for (;;) {
      const meta = await this.get(convPk(convId), META);
      const lastSeq = meta!.lastSeq as number;
      const seq = lastSeq + 1;
      const now = new Date().toISOString();
      const message = {
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
                    ':expected': lastSeq,
                  },
                },
              },
              {
                Put: {
                  TableName: this.table,
                  Item: { PK: convPk(convId), SK: msgSk(seq), seq, ...message },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              {
                Put: {
                  TableName: this.table,
                  Item: { PK: convPk(convId), SK: dedupeSk(`client#${senderId}`, clientMessageId), seq },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              {
                Update: {
                  TableName: this.table,
                  Key: { PK: userPk(senderId), SK: inboxSk(convId) },
                  UpdateExpression: 'SET readSeq = :seq, GSI1SK = :gsk',
                  ExpressionAttributeValues: { ':seq': seq, ':gsk': activityKey(now, convId) },
                },
              },
            ],
          }),
        );
        await this.db
          .send(
            new UpdateCommand({
              TableName: this.table,
              Key: { PK: userPk(recipientId), SK: inboxSk(convId) },
              UpdateExpression: 'SET GSI1SK = :a',
              ConditionExpression: 'attribute_exists(PK) AND GSI1SK < :a',
              ExpressionAttributeValues: { ':a': activityKey(now, convId) },
              ReturnValues: 'ALL_NEW',
            }),
          )
          .catch((err: Error) => {
            if (err.name !== 'ConditionalCheckFailedException') throw err; // a newer activity is there
          });
        return;
      } catch (err) {
        if ((err as Error).name !== 'TransactionCanceledException') throw err; // a lost sequence race: retry
      }
    }
  }

  async page(convId: string, limit: number): Promise<number> {
    const [, out] = await Promise.all([
      this.get(convPk(convId), META),
      this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': convPk(convId), ':from': MSG_FIRST, ':to': MSG_LAST },
          ScanIndexForward: false,
          Limit: limit + 1,
          ConsistentRead: true,
        }),
      ),
    ]);
    return out.Items?.length ?? 0;
  }

  close(): void {
    this.db.destroy();
  }

  private async get(PK: string, SK: string) {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { PK, SK }, ConsistentRead: true }),
    );
    return out.Item;
  }
}
