import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { messagesTableDefinition } from '../../apps/messages/src/db/table-schema';

export interface MessagesTableOptions {
  /** DynamoDB Local (dummy credentials); unset = the SDK's regional endpoint and ambient credentials. */
  endpoint?: string;
  table: string;
  region: string;
}

/**
 * Creates the messages table (single-table design, PK/SK + GSI1) if it does not exist yet and waits
 * until it is ACTIVE. Idempotent: a second run, or two runners at once, leave one table.
 * Returns true when this call created it.
 */
export async function ensureMessagesTable(opts: MessagesTableOptions): Promise<boolean> {
  const client = new DynamoDBClient({
    region: opts.region,
    ...(opts.endpoint
      ? { endpoint: opts.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  try {
    if (await exists(client, opts.table)) return false;
    let created = true;
    try {
      await client.send(new CreateTableCommand(messagesTableDefinition(opts.table)));
    } catch (err) {
      if (!(err instanceof ResourceInUseException)) throw err; // created concurrently by another runner
      created = false;
    }
    await waitUntilTableExists({ client, maxWaitTime: 120 }, { TableName: opts.table });
    return created;
  } finally {
    client.destroy();
  }
}

async function exists(client: DynamoDBClient, table: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: table }));
    return true;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return false;
    throw err;
  }
}
