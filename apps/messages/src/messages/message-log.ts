import {
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@paychat/platform';
import type { ConversationMeta } from '../conversations/conversation';
import { conversationNotFound, ConversationsRepository } from '../conversations/conversations.repository';
import { cancelReasons, pause } from '../db/dynamo-helpers';
import { activityKey, convPk, inboxSk, META, messageId, msgSk, userPk } from '../db/keys';
import { InboxFanout } from '../delivery/inbox-fanout';
import { MessageSignals } from '../delivery/message-signals';
import type { MessagesEnv } from '../messages.env';
import { MessageDraft, MessageItem, MessageView, toMessageView } from './message';

const MAX_ATTEMPTS = 60;

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A membership change that commits together with the message announcing it. */
export interface MetaChange {
  /** Extra `SET` clauses on META (e.g. `memberIds = :members`) and their values. */
  set: string;
  values: Record<string, unknown>;
  /** The members after the change (who the message is fanned out to). */
  members: string[];
  /** The sender leaves: their inbox row goes in the same transaction instead of being updated. */
  senderLeaves?: boolean;
}

export interface AppendOptions {
  /** The dedupe item's sort key: the same key again returns the first message (no second one). */
  dedupeSk: string;
  /** Who may post, checked against the META read in the same attempt; otherwise 404. */
  allowed: (meta: ConversationMeta) => boolean;
  change?: (meta: ConversationMeta) => MetaChange;
  /** Stored on the message item but not shown (e.g. a payment request's event version). */
  hidden?: Record<string, unknown>;
}

/**
 * The one writer of messages. A message costs one GetItem (META: membership and sequence) and
 * O(1) synchronous writes whatever the group size: one TransactWriteItems of the META sequence
 * bump (conditional on the sequence read), the message, its dedupe record (conditional on
 * absence) and the sender's own inbox row (read pointer + activity). Other members are reached
 * afterwards, off the request path (InboxFanout), and long-polls are woken (MessageSignals). A
 * cancelled transaction tells which condition failed: the dedupe record means a repeat (answered
 * with the first message), the sequence means another message took the number (read and retry).
 */
@Injectable()
export class MessageLog {
  private readonly table: string;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly conversations: ConversationsRepository,
    private readonly fanout: InboxFanout,
    private readonly signals: MessageSignals,
    @Inject(APP_CONFIG) config: MessagesEnv,
  ) {
    this.table = config.MESSAGES_TABLE;
  }

  async append(
    convId: string,
    draft: MessageDraft,
    opts: AppendOptions,
  ): Promise<{ created: boolean; message: MessageView }> {
    const dedupeKey = { PK: convPk(convId), SK: opts.dedupeSk };
    for (let attempt = 0; ; attempt++) {
      const meta = await this.conversations.getMeta(convId);
      if (!meta || !opts.allowed(meta)) throw conversationNotFound();
      const seq = meta.lastSeq + 1;
      const now = new Date().toISOString();
      const message: MessageView = {
        id: messageId(convId, seq),
        conversationId: convId,
        ...draft,
        createdAt: now,
      };
      const change = opts.change?.(meta);
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.table,
                  Key: { PK: convPk(convId), SK: META },
                  UpdateExpression: `SET lastSeq = :seq, lastMessage = :msg, updatedAt = :now${change ? `, ${change.set}` : ''}`,
                  ConditionExpression: 'lastSeq = :expected',
                  ExpressionAttributeValues: {
                    ':seq': seq,
                    ':msg': message,
                    ':now': now,
                    ':expected': meta.lastSeq,
                    ...change?.values,
                  },
                },
              },
              {
                Put: {
                  TableName: this.table,
                  Item: { PK: convPk(convId), SK: msgSk(seq), seq, ...opts.hidden, ...message },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              {
                Put: {
                  TableName: this.table,
                  Item: { ...dedupeKey, seq },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              ...(message.senderId ? [this.senderInbox(message.senderId, convId, seq, now, change)] : []),
            ],
          }),
        );
      } catch (err) {
        const reasons = cancelReasons(err);
        if (!reasons || attempt >= MAX_ATTEMPTS) throw err;
        if (reasons[2] === 'ConditionalCheckFailed') {
          // The dedupe record exists: a repeat (or its concurrent twin won). Answer with that message.
          const dedupe = await this.db.send(
            new GetCommand({ TableName: this.table, Key: dedupeKey, ConsistentRead: true }),
          );
          if (dedupe.Item)
            return { created: false, message: await this.get(convId, dedupe.Item.seq as number) };
        }
        await pause(attempt); // another message took this sequence number, or a transaction conflict
        continue;
      }
      this.signals.notify(convId);
      const members = change?.members ?? meta.memberIds;
      this.fanout.deliver(
        members.filter((m) => m !== message.senderId),
        message,
        activityKey(now, convId),
      );
      return { created: true, message };
    }
  }

  async get(convId: string, seq: number): Promise<MessageView> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { PK: convPk(convId), SK: msgSk(seq) },
        ConsistentRead: true,
      }),
    );
    return toMessageView(out.Item as MessageItem);
  }

  /** Sending implies having read everything up to here: own messages are never unread. */
  private senderInbox(
    senderId: string,
    convId: string,
    seq: number,
    now: string,
    change?: MetaChange,
  ): TransactItem {
    const Key = { PK: userPk(senderId), SK: inboxSk(convId) };
    if (change?.senderLeaves) return { Delete: { TableName: this.table, Key } };
    return {
      Update: {
        TableName: this.table,
        Key,
        UpdateExpression:
          'SET readSeq = :seq, convId = :conv, GSI1PK = :gpk, GSI1SK = :gsk, joinedAt = if_not_exists(joinedAt, :now)',
        ExpressionAttributeValues: {
          ':seq': seq,
          ':conv': convId,
          ':gpk': userPk(senderId),
          ':gsk': activityKey(now, convId),
          ':now': now,
        },
      },
    };
  }
}
