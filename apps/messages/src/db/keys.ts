import { createHash } from 'node:crypto';

/**
 * Key layout of the single messages table (see apps/messages/README.md for the access patterns).
 *
 *   PK=CONV#<convId>  SK=META                          conversation: kind, title, memberIds, lastSeq, lastMessage
 *   PK=CONV#<convId>  SK=MSG#<seq, 12 digits>          one message
 *   PK=CONV#<convId>  SK=DEDUPE#<senderId>#<clientId>  clientMessageId → the message it created
 *   PK=USER#<userId>  SK=CONV#<convId>                 inbox row: membership + readSeq; GSI1 = latest activity
 */
export const INBOX_INDEX = 'GSI1';
export const META = 'META';
const SEQ_DIGITS = 12;

export const convPk = (convId: string) => `CONV#${convId}`;
export const userPk = (userId: string) => `USER#${userId}`;
export const inboxSk = (convId: string) => `CONV#${convId}`;
export const msgSk = (seq: number) => `MSG#${String(seq).padStart(SEQ_DIGITS, '0')}`;
export const MSG_FIRST = msgSk(0);
export const MSG_LAST = msgSk(10 ** SEQ_DIGITS - 1);
export const dedupeSk = (senderId: string, clientMessageId: string) =>
  `DEDUPE#${senderId}#${clientMessageId}`;
/** Inbox sort key: ISO time sorts lexically; the id breaks ties so every key is unique. */
export const activityKey = (at: string, convId: string) => `${at}#${convId}`;

/** Direct chat: the same id from either side, by construction (sha256 of the sorted pair). */
export function directConversationId(a: string, b: string): string {
  const [x, y] = [a, b].sort();
  return `D-${createHash('sha256').update(`${x}\n${y}`).digest('hex').slice(0, 32)}`;
}

export const CONVERSATION_ID = /^(D-[0-9a-f]{32}|G-[0-9A-HJKMNP-TV-Z]{26})$/;
/** Message id = `<conversationId>.<seq>`: the sequence is the order, so before/after are a key range. */
export const MESSAGE_ID = /^(D-[0-9a-f]{32}|G-[0-9A-HJKMNP-TV-Z]{26})\.([1-9][0-9]{0,11})$/;

export const messageId = (convId: string, seq: number) => `${convId}.${seq}`;

export function parseMessageId(id: string): { conversationId: string; seq: number } | null {
  const m = MESSAGE_ID.exec(id);
  return m ? { conversationId: m[1], seq: Number(m[2]) } : null;
}
