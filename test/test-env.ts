import { dbUrl } from '../scripts/migrate/migrate';

/**
 * Where the test stack lives: its own ports and databases, so tests run beside `npm run dev`.
 * Each Jest worker gets its own databases, DynamoDB table, Redis database and cognito-local (whose
 * user-migration trigger calls that worker's legacy app), so test files run in parallel without
 * seeing each other's rows. TEST_SLOT=n (default 0) moves everything again, so several checkouts
 * can run their tests at once on one machine.
 */
const SLOT = Number(process.env.TEST_SLOT ?? 0);
const slotSuffix = SLOT ? `_s${SLOT}` : '';
export const MYSQL_ADMIN_URL = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
/** DynamoDB Local is one process for all workers (each has its own table). */
export const TEST_DYNAMO_PORT = 18000 + SLOT * 100;

/** The stores of one Jest worker (1-based, as JEST_WORKER_ID). */
export function workerStores(worker: number) {
  const suffix = `_w${worker}${slotSuffix}`;
  return {
    cognitoPort: 19229 + SLOT * 100 + worker * 2,
    /** Where the user-migration trigger finds the legacy app (the migration tests start one there). */
    legacyPort: 19230 + SLOT * 100 + worker * 2,
    walletDb: `paychat_test_wallet${suffix}`,
    legacyDb: `paychat_test_legacy${suffix}`,
    messagesTable: `paychat-test-messages${suffix.replaceAll('_', '-')}`,
    // Redis has 16 databases; 0 is `npm run dev`'s.
    redisDb: 1 + ((SLOT * 4 + worker - 1) % 15),
  };
}

/** This process's worker: Jest sets JEST_WORKER_ID in its workers (1 when run in band). */
const current = workerStores(Number(process.env.JEST_WORKER_ID ?? 1));
export const TEST_COGNITO_PORT = current.cognitoPort;
export const TEST_LEGACY_PORT = current.legacyPort;
export const TEST_WALLET_DB = current.walletDb;

/** The env every app under test reads (the same variables production sets), for `worker`. */
export function testEnv(worker = Number(process.env.JEST_WORKER_ID ?? 1)): Record<string, string> {
  const stores = workerStores(worker);
  const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  redis.pathname = `/${stores.redisDb}`;
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    COGNITO_ENDPOINT: `http://127.0.0.1:${stores.cognitoPort}`,
    WALLET_DB_URL: dbUrl(MYSQL_ADMIN_URL, 'paychat_app', 'paychat_app_local', stores.walletDb),
    LEGACY_DB_URL: dbUrl(MYSQL_ADMIN_URL, 'paychat_legacy', 'paychat_legacy_local', stores.legacyDb),
    DYNAMODB_ENDPOINT: `http://127.0.0.1:${TEST_DYNAMO_PORT}`,
    MESSAGES_TABLE: stores.messagesTable,
    REDIS_URL: redis.toString(),
    AUTH_AUTO_CONFIRM: 'true',
    // Tests drive the background jobs themselves (runOnce), so nothing races their assertions.
    WALLET_JOBS_ENABLED: 'false',
    // …and deliver outbox events themselves; the whole-stack tests turn the fast path on.
    OUTBOX_FAST_PATH: 'false',
    RECOVERY_AFTER_MS: '0',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}
