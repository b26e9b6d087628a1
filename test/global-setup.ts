import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startCognito } from '../scripts/local/cognito';
import { assertMysqlReachable } from '../scripts/local/mysql';
import { migrate } from '../scripts/migrate/migrate';
import { MYSQL_ADMIN_URL, TEST_COGNITO_PORT, TEST_LEGACY_DB, TEST_WALLET_DB, testEnv } from './test-env';

/**
 * Starts the real parts the tests talk to — MariaDB (must be running), cognito-local — and migrates
 * the test databases exactly as `npm run migrate` does. Apps are built in-process by each test.
 */
export default async function globalSetup(): Promise<void> {
  Object.assign(process.env, testEnv());
  await assertMysqlReachable(MYSQL_ADMIN_URL);
  await migrate({
    adminUrl: MYSQL_ADMIN_URL,
    walletDb: TEST_WALLET_DB,
    legacyDb: TEST_LEGACY_DB,
    log: () => undefined,
  });
  const dataDir = join(__dirname, '..', '.local', 'test', 'cognito');
  rmSync(dataDir, { recursive: true, force: true });
  const cognito = await startCognito({ port: TEST_COGNITO_PORT, dataDir, users: [] });
  (globalThis as { __paychatStack?: unknown }).__paychatStack = { cognito };
}
