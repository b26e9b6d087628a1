import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The messages table, defined once: one table, PK/SK plus GSI1 (a user's chats by latest activity,
 * keys only). `npm run migrate` (hence the tests' global setup and the benches) creates it from
 * messagesTableDefinition; infra/ builds the AWS table from TABLE_KEYS, and its test checks the two agree.
 * (No path-alias imports here: jest's global setup loads this file through the migrate script.)
 */
export const INBOX_INDEX = 'GSI1';

export const TABLE_KEYS = {
  partitionKey: 'PK',
  sortKey: 'SK',
  index: { name: INBOX_INDEX, partitionKey: 'GSI1PK', sortKey: 'GSI1SK', projection: 'KEYS_ONLY' },
} as const;

/** The table as DynamoDB's CreateTable takes it; every key is a string. */
export function messagesTableDefinition(tableName: string): CreateTableCommandInput {
  const { partitionKey: pk, sortKey: sk, index } = TABLE_KEYS;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [pk, sk, index.partitionKey, index.sortKey].map((AttributeName) => ({
      AttributeName,
      AttributeType: 'S',
    })),
    KeySchema: [
      { AttributeName: pk, KeyType: 'HASH' },
      { AttributeName: sk, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: index.projection },
      },
    ],
  };
}
