import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import type { PaymentRequestStatus } from '@paychat/contracts';
import { APP_CONFIG } from '@paychat/platform';
import { isConditionFailed } from '../db/dynamo-helpers';
import { convPk, META, messageId, msgSk } from '../db/keys';
import type { MessagesEnv } from '../messages.env';

/** A payment request's message follows its status forward only, by event version. */
@Injectable()
export class RequestStatus {
  private readonly table: string;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    @Inject(APP_CONFIG) config: MessagesEnv,
  ) {
    this.table = config.MESSAGES_TABLE;
  }

  /**
   * Takes a newer status only: a late, older event changes nothing (false). `mayBeLast` false skips
   * the chat preview's update when the request is known not to be the chat's last message.
   */
  async follow(
    convId: string,
    seq: number,
    status: PaymentRequestStatus,
    version: number,
    mayBeLast: boolean,
  ): Promise<boolean> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { PK: convPk(convId), SK: msgSk(seq) },
          UpdateExpression: 'SET paymentRequest.#s = :s, version = :v',
          ConditionExpression: 'attribute_exists(PK) AND version < :v',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':s': status, ':v': version },
          ReturnValues: 'ALL_NEW',
        }),
      );
      if (mayBeLast)
        await this.refreshPreview(convId, messageId(convId, seq), out.Attributes!.paymentRequest);
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  /** If the request is the chat's last message, its preview in the list shows the new status too. */
  private async refreshPreview(convId: string, id: string, request: unknown): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { PK: convPk(convId), SK: META },
          UpdateExpression: 'SET lastMessage.paymentRequest = :r',
          ConditionExpression: 'lastMessage.id = :id',
          ExpressionAttributeValues: { ':r': request, ':id': id },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }
}
