import { migrate } from './migrate/migrate';

/** `npm run migrate`: databases, DB users and schema for every store. Never run by a service at boot. */
migrate({
  adminUrl: process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306',
  walletDb: process.env.WALLET_DB_NAME ?? 'paychat_wallet',
  legacyDb: process.env.LEGACY_DB_NAME ?? 'paychat_legacy',
  seedDemo: process.env.SEED_DEMO_DATA === 'true',
}).catch((err: Error) => {
  process.stderr.write(`migrate failed: ${err.message}\n`);
  process.exit(1);
});
