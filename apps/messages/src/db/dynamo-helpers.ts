import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;

/** Cancellation reason codes of a TransactWriteItems, in item order (null when it was not a cancel). */
export function cancelReasons(err: unknown): (string | undefined)[] | null {
  if (!(err instanceof TransactionCanceledException)) return null;
  return (err.CancellationReasons ?? []).map((r) => r.Code);
}

export const isConditionFailed = (err: unknown) => (err as Error).name === 'ConditionalCheckFailedException';

/** A single-item write that met a transaction in progress on the same item (the SDK does not retry it). */
export const isTransactionConflict = (err: unknown) => (err as Error).name === 'TransactionConflictException';

/** Jittered backoff between optimistic retries (a lost sequence race, throttling, unprocessed items). */
export const pause = (attempt: number) =>
  new Promise((r) => setTimeout(r, Math.min(5 + attempt * 5, 100) * (0.5 + Math.random())));

/** Reads known keys strongly consistently, 100 per call, retrying unprocessed ones. */
export async function batchGetAll(
  db: DynamoDBDocumentClient,
  table: string,
  keys: Item[],
): Promise<Map<string, Item>> {
  const found = new Map<string, Item>();
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Item[] | undefined = keys.slice(i, i + 100);
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt > 0) await pause(attempt);
      const out: BatchGetCommandOutput = await db.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }),
      );
      for (const item of out.Responses?.[table] ?? []) found.set(`${item.PK}|${item.SK}`, item);
      pending = out.UnprocessedKeys?.[table]?.Keys;
    }
  }
  return found;
}

/** Puts items idempotently, 25 per call, retrying unprocessed ones. */
export async function batchPutAll(db: DynamoDBDocumentClient, table: string, items: Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let pending: Item[] | undefined = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt > 0) await pause(attempt);
      const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = out.UnprocessedItems?.[table] as Item[] | undefined;
    }
  }
}
