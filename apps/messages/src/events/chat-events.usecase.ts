import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { ChatEvent, PAYMENT_REQUEST_CHANGED, TRANSFER_CREATED } from '@paychat/contracts';
import { AppError } from '@paychat/errors';
import { APP_CONFIG } from '@paychat/platform';
import { ConversationsRepository } from '../conversations/conversations.repository';
import { isConditionFailed } from '../db/dynamo-helpers';
import { convPk, dedupeSk, META, msgSk, parseMessageId } from '../db/keys';
import type { MessageDraft } from '../messages/message';
import { MessageLog } from '../messages/message-log';
import type { MessagesEnv } from '../messages.env';
import { PaymentRequestChangedDto, SystemMessageDto, TransferCreatedDto } from './events.dto';

export const SYSTEM_MESSAGE = 'chat.system_message';

/**
 * Posts what the wallet's outbox relay delivers into the pair's direct chat (created if absent),
 * idempotently: a transfer and a payment request each have exactly one message (dedupe keyed by
 * their id, so a redelivered or duplicated event adds nothing), and a request's message follows
 * its status only forward (by event version). Both parties must be the chat's members.
 */
@Injectable()
export class ChatEvents {
  private readonly logger = new Logger(ChatEvents.name);
  private readonly table: string;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly conversations: ConversationsRepository,
    private readonly log: MessageLog,
    @Inject(APP_CONFIG) config: MessagesEnv,
  ) {
    this.table = config.MESSAGES_TABLE;
  }

  async apply(event: ChatEvent): Promise<{ applied: boolean }> {
    switch (event.topic) {
      case TRANSFER_CREATED: {
        const t = await payload(TransferCreatedDto, event);
        const draft: MessageDraft = {
          senderId: t.fromUserId,
          kind: 'transfer',
          transfer: { transferId: t.id, amount: t.amount, memo: t.memo },
        };
        const { created } = await this.post(t.fromUserId, t.toUserId, draft, dedupeSk('transfer', t.id));
        return { applied: created };
      }
      case PAYMENT_REQUEST_CHANGED: {
        const r = await payload(PaymentRequestChangedDto, event);
        const request = { requestId: r.id, amount: r.amount, memo: r.memo, status: r.status };
        const draft: MessageDraft = {
          senderId: r.requesterId,
          kind: 'payment_request',
          paymentRequest: request,
        };
        const posted = await this.post(
          r.requesterId,
          r.payerId,
          draft,
          dedupeSk('request', r.id),
          event.version,
        );
        if (posted.created) return { applied: true };
        return { applied: await this.followStatus(posted.message.id, r.status, event.version) };
      }
      case SYSTEM_MESSAGE: {
        const s = await payload(SystemMessageDto, event);
        const draft: MessageDraft = { senderId: null, kind: 'system', text: s.text };
        const { created } = await this.post(s.userId, s.otherUserId, draft, dedupeSk('event', event.id));
        return { applied: created };
      }
      default:
        // Topics only ever grow; acknowledging an unknown one keeps the relay from retrying forever.
        this.logger.warn({ topic: event.topic, eventId: event.id }, 'unknown event topic ignored');
        return { applied: false };
    }
  }

  private async post(a: string, b: string, draft: MessageDraft, dedupe: string, version?: number) {
    if (a === b) throw new AppError('validation_failed', 'An event needs two different users');
    const { meta } = await this.conversations.ensureDirect(a, b);
    const { created, message } = await this.log.append(meta.id, draft, {
      dedupeSk: dedupe,
      allowed: (m) => m.memberIds.includes(a) && m.memberIds.includes(b),
      hidden: version === undefined ? undefined : { version },
    });
    return { created, message };
  }

  /** The request's message takes a newer status only: a late, older event changes nothing. */
  private async followStatus(id: string, status: string, version: number): Promise<boolean> {
    const { conversationId: convId, seq } = parseMessageId(id)!;
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
      await this.refreshPreview(convId, id, out.Attributes!.paymentRequest);
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

async function payload<T extends object>(cls: new () => T, event: ChatEvent): Promise<T> {
  const value = plainToInstance(cls, event.payload);
  const errors = await validate(value, { whitelist: true, forbidNonWhitelisted: false });
  if (errors.length > 0)
    throw new AppError(
      'validation_failed',
      `Invalid ${event.topic} payload`,
      errors.map((e) => ({ field: `payload.${e.property}`, message: 'is invalid' })),
    );
  return value;
}
