/**
 * Conversation ids, shared by the messages service (which stores chats under them) and the wallet
 * (which derives a direct chat's other member from its id, so money can be sent in a chat even
 * while the messages service is down).
 */

/** Our user ids are ULIDs (the wallet's `users.id`). */
export const USER_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const ULID_SOURCE = '[0-9A-HJKMNP-TV-Z]{26}';

/** `D-<lower user id>-<higher user id>` for a direct chat; `G-<ULID>` for a group. */
export const CONVERSATION_ID_SOURCE = `(?:D-${ULID_SOURCE}-${ULID_SOURCE}|G-${ULID_SOURCE})`;
export const CONVERSATION_ID = new RegExp(`^${CONVERSATION_ID_SOURCE}$`);

/** The same id from either side, by construction: a pair has exactly one direct chat. */
export function directConversationId(a: string, b: string): string {
  const [x, y] = [a, b].sort();
  return `D-${x}-${y}`;
}

/** The two members of a direct chat, or null for a group (or a malformed id). */
export function directPair(conversationId: string): [string, string] | null {
  if (!CONVERSATION_ID.test(conversationId) || !conversationId.startsWith('D-')) return null;
  const [, x, y] = conversationId.split('-');
  // Only the canonical (sorted, distinct) spelling names a chat that can exist.
  return x < y ? [x, y] : null;
}
