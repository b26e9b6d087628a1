import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { activityKey, convPk, inboxSk, META, msgSk, userPk } from '../db/keys';
import type { MessageView } from './message';

/**
 * The items of a message-writing TransactWriteItems, shared by the one-message and the batched
 * writer so both take sequence numbers, dedupe records and read pointers the same way.
 */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Optimistic retries (a lost sequence race, a transaction conflict) before the error goes up. */
export const MAX_ATTEMPTS = 60;

/** Extra `SET` clauses on META (e.g. `memberIds = :members`) and their values. */
export interface MetaSet {
  set: string;
  values: Record<string, unknown>;
}

/** META moves from `expected` to `seq` (conditional: two writers never take one number); `last` is its preview. */
export function metaBump(
  table: string,
  seq: number,
  expected: number,
  last: MessageView,
  extra?: MetaSet,
): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: { PK: convPk(last.conversationId), SK: META },
      UpdateExpression: `SET lastSeq = :seq, lastMessage = :msg, updatedAt = :now${extra ? `, ${extra.set}` : ''}`,
      ConditionExpression: 'lastSeq = :expected',
      ExpressionAttributeValues: {
        ':seq': seq,
        ':msg': last,
        ':now': last.createdAt,
        ':expected': expected,
        ...extra?.values,
      },
    },
  };
}

/** The message item; `hidden` is stored but never shown (e.g. a payment request's event version). */
export function messagePut(
  table: string,
  seq: number,
  message: MessageView,
  hidden?: Record<string, unknown>,
): TransactItem {
  return {
    Put: {
      TableName: table,
      Item: { PK: convPk(message.conversationId), SK: msgSk(seq), seq, ...hidden, ...message },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/** Conditional on absence: an existing record means this message was already written. */
export function dedupePut(table: string, convId: string, dedupeSk: string, seq: number): TransactItem {
  return {
    Put: {
      TableName: table,
      Item: { PK: convPk(convId), SK: dedupeSk, seq },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/** Sending implies having read everything up to here: own messages are never unread. */
export function senderInbox(
  table: string,
  senderId: string,
  convId: string,
  seq: number,
  now: string,
  leaves = false,
): TransactItem {
  if (leaves) return { Delete: { TableName: table, Key: { PK: userPk(senderId), SK: inboxSk(convId) } } };
  return inboxUpdate(table, senderId, convId, now, 'readSeq = :seq', seq);
}

/**
 * A member who did not send: the chat moves to the top of their list in the message's own
 * transaction (a direct chat's other member; the transaction orders it, so no GSI1SK condition).
 */
export function memberInbox(table: string, userId: string, convId: string, now: string): TransactItem {
  return inboxUpdate(table, userId, convId, now, 'readSeq = if_not_exists(readSeq, :seq)', 0);
}

function inboxUpdate(
  table: string,
  userId: string,
  convId: string,
  now: string,
  readSeq: string,
  seq: number,
): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: { PK: userPk(userId), SK: inboxSk(convId) },
      UpdateExpression: `SET ${readSeq}, convId = :conv, GSI1PK = :gpk, GSI1SK = :gsk, joinedAt = if_not_exists(joinedAt, :now)`,
      ExpressionAttributeValues: {
        ':seq': seq,
        ':conv': convId,
        ':gpk': userPk(userId),
        ':gsk': activityKey(now, convId),
        ':now': now,
      },
    },
  };
}
