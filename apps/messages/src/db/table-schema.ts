/**
 * The messages table's key schema: one table, PK/SK plus GSI1 (a user's chats by latest activity,
 * keys only). Created by `npm run migrate` locally and declared the same way in infra/ for AWS.
 * (No path-alias imports here: jest's global setup loads this file through the migrate script.)
 */
export const INBOX_INDEX = 'GSI1';

export const TABLE_KEYS = {
  partitionKey: 'PK',
  sortKey: 'SK',
  index: { name: INBOX_INDEX, partitionKey: 'GSI1PK', sortKey: 'GSI1SK', projection: 'KEYS_ONLY' },
} as const;
