import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import {
  ChatEvent,
  directConversationId,
  PAYMENT_REQUEST_CHANGED,
  type PaymentRequestStatus,
  TRANSFER_CREATED,
} from '@paychat/contracts';
import { AppError } from '@paychat/errors';
import { dedupeSk } from '../db/keys';
import type { BatchEntry } from '../messages/message-batch';
import { PaymentRequestChangedDto, SystemMessageDto, TransferCreatedDto } from './events.dto';

export const SYSTEM_MESSAGE = 'chat.system_message';

/** What one event does to its pair's direct chat: one message, identified by its dedupe key. */
export interface ChatPost {
  convId: string;
  pair: [string, string];
  entry: BatchEntry;
  /** A payment request: once its message exists, a later event only moves its status (by version). */
  request?: { status: PaymentRequestStatus; version: number };
}

/**
 * Checks an event's payload for its topic and says what it posts, or null for a topic this
 * service does not know (topics only ever grow: it is acknowledged, not retried forever). A
 * transfer and a payment request have one message each (dedupe keyed by their id), a system
 * message one per event id. The message shows when the change happened (`occurredAt`), not when it
 * arrived, so a chat delivered after an outage still reads in the order money moved. Throws a 400
 * AppError for a payload that can never apply.
 */
export async function planEvent(event: ChatEvent): Promise<ChatPost | null> {
  const plan = await postOf(event);
  if (plan && event.occurredAt) plan.entry.createdAt = new Date(event.occurredAt).toISOString();
  return plan;
}

async function postOf(event: ChatEvent): Promise<ChatPost | null> {
  switch (event.topic) {
    case TRANSFER_CREATED: {
      const t = await payload(TransferCreatedDto, event);
      const transfer = { transferId: t.id, amount: t.amount, memo: t.memo };
      return post(t.fromUserId, t.toUserId, {
        draft: { senderId: t.fromUserId, kind: 'transfer', transfer },
        dedupeSk: dedupeSk('transfer', t.id),
      });
    }
    case PAYMENT_REQUEST_CHANGED: {
      const r = await payload(PaymentRequestChangedDto, event);
      const paymentRequest = { requestId: r.id, amount: r.amount, memo: r.memo, status: r.status };
      const entry: BatchEntry = {
        draft: { senderId: r.requesterId, kind: 'payment_request', paymentRequest },
        dedupeSk: dedupeSk('request', r.id),
        hidden: { version: event.version },
      };
      return {
        ...post(r.requesterId, r.payerId, entry),
        request: { status: r.status, version: event.version },
      };
    }
    case SYSTEM_MESSAGE: {
      const s = await payload(SystemMessageDto, event);
      return post(s.userId, s.otherUserId, {
        draft: { senderId: null, kind: 'system', text: s.text },
        dedupeSk: dedupeSk('event', event.id),
      });
    }
    default:
      return null;
  }
}

function post(a: string, b: string, entry: BatchEntry): ChatPost {
  if (a === b) throw new AppError('validation_failed', 'An event needs two different users');
  return { convId: directConversationId(a, b), pair: [a, b], entry };
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
