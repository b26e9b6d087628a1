import { CONVERSATION_ID_SOURCE } from '@paychat/contracts';

/**
 * Key layout of the single messages table (see apps/messages/README.md for the access patterns).
 *
 *   PK=CONV#<convId>   SK=META                          conversation: kind, title, memberIds, lastSeq, lastMessage
 *   PK=CONV#<convId>   SK=MSG#<seq, 12 digits>          one message
 *   PK=CONV#<convId>   SK=DEDUPE#<scope>#<key>          clientMessageId or event id → the message's seq
 *   PK=USER#<userId>   SK=CONV#<convId>                 inbox row: membership, readSeq, pollingUntil; GSI1 = latest activity
 *   PK=USER#<userId>   SK=DEVICE#<sha256(token)>        a push token of the user
 *   PK=USER#<userId>   SK=BLOCK#<userId>                a user this user has blocked
 *   PK=DEVICE#<hash>   SK=OWNER                         who a push token belongs to (exactly one user)
 */
export { INBOX_INDEX } from './table-schema';
export const META = 'META';
export const OWNER = 'OWNER';
const SEQ_DIGITS = 12;

export const convPk = (convId: string) => `CONV#${convId}`;
export const userPk = (userId: string) => `USER#${userId}`;
export const inboxSk = (convId: string) => `CONV#${convId}`;
export const msgSk = (seq: number) => `MSG#${String(seq).padStart(SEQ_DIGITS, '0')}`;
export const MSG_FIRST = msgSk(0);
export const MSG_LAST = msgSk(10 ** SEQ_DIGITS - 1);
/** A sender's clientMessageId, or a relay event's aggregate (`transfer`, `request`, `event`). */
export const dedupeSk = (scope: string, key: string) => `DEDUPE#${scope}#${key}`;
export const devicePk = (tokenHash: string) => `DEVICE#${tokenHash}`;
export const deviceSk = (tokenHash: string) => `DEVICE#${tokenHash}`;
export const DEVICE_PREFIX = 'DEVICE#';
export const BLOCK_PREFIX = 'BLOCK#';
export const blockSk = (blockedId: string) => `${BLOCK_PREFIX}${blockedId}`;
/** Inbox sort key: ISO time sorts lexically; the id breaks ties so every key is unique. */
export const activityKey = (at: string, convId: string) => `${at}#${convId}`;

/** Message id = `<conversationId>.<seq>`: the sequence is the order, so before/after are a key range. */
export const MESSAGE_ID = new RegExp(`^(${CONVERSATION_ID_SOURCE})\\.([1-9][0-9]{0,11})$`);

export const messageId = (convId: string, seq: number) => `${convId}.${seq}`;

export function parseMessageId(id: string): { conversationId: string; seq: number } | null {
  const m = MESSAGE_ID.exec(id);
  return m ? { conversationId: m[1], seq: Number(m[2]) } : null;
}
