import { dbUrl } from '../scripts/migrate/migrate';

/**
 * Where the test stack lives: its own ports and databases, so tests run beside `npm run dev`.
 * TEST_SLOT=n (default 0) moves both, so several checkouts can run their tests at once on one machine.
 */
const SLOT = Number(process.env.TEST_SLOT ?? 0);
const suffix = SLOT ? `_s${SLOT}` : '';
export const TEST_COGNITO_PORT = 19229 + SLOT * 10;
export const TEST_DYNAMO_PORT = 18000 + SLOT * 10;
/** Where the user-migration trigger finds the legacy app (the migration tests start one there). */
export const TEST_LEGACY_PORT = 18003 + SLOT * 10;
export const TEST_WALLET_DB = `paychat_test_wallet${suffix}`;
export const TEST_LEGACY_DB = `paychat_test_legacy${suffix}`;
export const MYSQL_ADMIN_URL = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

/** The env every app under test reads (the same variables production sets). */
export function testEnv(): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    COGNITO_ENDPOINT: `http://127.0.0.1:${TEST_COGNITO_PORT}`,
    WALLET_DB_URL: dbUrl(MYSQL_ADMIN_URL, 'paychat_app', 'paychat_app_local', TEST_WALLET_DB),
    LEGACY_DB_URL: dbUrl(MYSQL_ADMIN_URL, 'paychat_legacy', 'paychat_legacy_local', TEST_LEGACY_DB),
    DYNAMODB_ENDPOINT: `http://127.0.0.1:${TEST_DYNAMO_PORT}`,
    MESSAGES_TABLE: `paychat-test-messages${suffix}`,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    AUTH_AUTO_CONFIRM: 'true',
    // Tests drive the background jobs themselves (runOnce), so nothing races their assertions.
    WALLET_JOBS_ENABLED: 'false',
    // …and deliver outbox events themselves; the whole-stack tests turn the fast path on.
    OUTBOX_FAST_PATH: 'false',
    RECOVERY_AFTER_MS: '0',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}
