import { rmSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { join } from 'node:path';
import { startCognito } from '../scripts/local/cognito';
import { startDynamo } from '../scripts/local/dynamodb';
import { assertMysqlReachable } from '../scripts/local/mysql';
import { redisAnswers } from '../scripts/local/redis';
import { migrate } from '../scripts/migrate/migrate';
import {
  MYSQL_ADMIN_URL,
  TEST_COGNITO_PORT,
  TEST_DYNAMO_PORT,
  TEST_LEGACY_PORT,
  TEST_LEGACY_DB,
  TEST_WALLET_DB,
  testEnv,
} from './test-env';

interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Starts the real parts the tests talk to — MariaDB and Redis (must be running), DynamoDB Local (in memory),
 * cognito-local — and migrates the test stores exactly as `npm run migrate` does. Apps are built
 * in-process by each test.
 */
export default async function globalSetup(): Promise<void> {
  Object.assign(process.env, testEnv());
  await assertMysqlReachable(MYSQL_ADMIN_URL);
  if (!(await redisAnswers(process.env.REDIS_URL)))
    throw new Error(
      `Redis is not answering at ${process.env.REDIS_URL}: start it (redis-server --daemonize yes)`,
    );
  const dataDir = join(__dirname, '..', '.local', 'test', `cognito-${TEST_COGNITO_PORT}`);
  rmSync(dataDir, { recursive: true, force: true });
  const results = await Promise.allSettled([
    startDynamo({ port: TEST_DYNAMO_PORT }),
    startCognito({
      port: TEST_COGNITO_PORT,
      dataDir,
      users: [],
      legacyUrl: `http://127.0.0.1:${TEST_LEGACY_PORT}`,
    }),
  ]);
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value as Stoppable] : []));
  try {
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    // A clean slate every run: CI reuses this machine's MariaDB as the last run left it.
    const admin = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
    await admin.query(`DROP DATABASE IF EXISTS \`${TEST_WALLET_DB}\``);
    await admin.query(`DROP DATABASE IF EXISTS \`${TEST_LEGACY_DB}\``);
    await admin.end();
    await migrate({
      adminUrl: MYSQL_ADMIN_URL,
      walletDb: TEST_WALLET_DB,
      legacyDb: TEST_LEGACY_DB,
      dynamoEndpoint: process.env.DYNAMODB_ENDPOINT,
      seedDemo: true,
      log: () => undefined,
    });
  } catch (err) {
    // Jest skips the teardown when the setup fails: leave no DynamoDB Local / cognito-local behind.
    await Promise.all(started.map((s) => s.stop()));
    throw err;
  }
  (globalThis as { __paychatStack?: unknown }).__paychatStack = { stops: started.map((s) => () => s.stop()) };
}
