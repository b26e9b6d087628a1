import { rmSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { join } from 'node:path';
import { startCognito } from '../scripts/local/cognito';
import { startDynamo } from '../scripts/local/dynamodb';
import { assertMysqlReachable } from '../scripts/local/mysql';
import { redisAnswers } from '../scripts/local/redis';
import { migrate } from '../scripts/migrate/migrate';
import { MYSQL_ADMIN_URL, TEST_DYNAMO_PORT, testEnv, workerStores } from './test-env';

interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Starts the real parts the tests talk to — MariaDB and Redis (must be running), DynamoDB Local (in memory),
 * one cognito-local per Jest worker — and migrates each worker's stores exactly as `npm run migrate`
 * does. Apps are built in-process by each test.
 */
export default async function globalSetup(globalConfig: { maxWorkers: number }): Promise<void> {
  const workers = Array.from({ length: Math.max(1, globalConfig.maxWorkers) }, (_, i) => i + 1);
  Object.assign(process.env, testEnv(1));
  await assertMysqlReachable(MYSQL_ADMIN_URL);
  if (!(await redisAnswers(process.env.REDIS_URL)))
    throw new Error(
      `Redis is not answering at ${process.env.REDIS_URL}: start it (redis-server --daemonize yes)`,
    );
  const results = await Promise.allSettled([
    startDynamo({ port: TEST_DYNAMO_PORT }),
    ...workers.map((worker) => {
      const { cognitoPort, legacyPort } = workerStores(worker);
      const dataDir = join(__dirname, '..', '.local', 'test', `cognito-${cognitoPort}`);
      rmSync(dataDir, { recursive: true, force: true });
      return startCognito({
        port: cognitoPort,
        dataDir,
        users: [],
        legacyUrl: `http://127.0.0.1:${legacyPort}`,
      });
    }),
  ]);
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value as Stoppable] : []));
  try {
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    for (const worker of workers) {
      const stores = workerStores(worker);
      // A clean slate every run: CI reuses this machine's MariaDB as the last run left it.
      const admin = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
      await admin.query(`DROP DATABASE IF EXISTS \`${stores.walletDb}\``);
      await admin.query(`DROP DATABASE IF EXISTS \`${stores.legacyDb}\``);
      await admin.end();
      await migrate({
        adminUrl: MYSQL_ADMIN_URL,
        walletDb: stores.walletDb,
        legacyDb: stores.legacyDb,
        dynamoEndpoint: process.env.DYNAMODB_ENDPOINT,
        env: { ...process.env, ...testEnv(worker) },
        seedDemo: true,
        log: () => undefined,
      });
    }
  } catch (err) {
    // Jest skips the teardown when the setup fails: leave no DynamoDB Local / cognito-local behind.
    await Promise.all(started.map((s) => s.stop()));
    throw err;
  }
  (globalThis as { __paychatStack?: unknown }).__paychatStack = { stops: started.map((s) => () => s.stop()) };
}
