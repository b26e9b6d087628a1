/**
 * The MySQL users paychat runs as (least privilege, the freee "DROP DATABASE in production" lesson):
 * the services can never DELETE, DROP or ALTER; only the migrator changes schema; only the janitor
 * deletes, and only from the two tables whose rows are disposable.
 */
export interface DbUser {
  name: string;
  passwordEnv: string;
  localPassword: string;
  grants: (db: { wallet: string; legacy: string }) => string[];
}

export const DB_USERS: DbUser[] = [
  {
    name: 'paychat_migrator',
    passwordEnv: 'MIGRATOR_DB_PASSWORD',
    localPassword: 'paychat_migrator_local',
    grants: (db) => [`ALL PRIVILEGES ON \`${db.wallet}\`.*`, `ALL PRIVILEGES ON \`${db.legacy}\`.*`],
  },
  {
    name: 'paychat_app',
    passwordEnv: 'WALLET_DB_PASSWORD',
    localPassword: 'paychat_app_local',
    grants: (db) => [`SELECT, INSERT, UPDATE ON \`${db.wallet}\`.*`],
  },
  {
    name: 'paychat_janitor',
    passwordEnv: 'JANITOR_DB_PASSWORD',
    localPassword: 'paychat_janitor_local',
    // Table-level grants: the tables must exist, so these are applied after the migrations.
    grants: (db) => [
      `SELECT ON \`${db.wallet}\`.*`,
      `DELETE ON \`${db.wallet}\`.\`idempotency_keys\``,
      `DELETE ON \`${db.wallet}\`.\`outbox\``,
    ],
  },
  {
    // The legacy monolith had one all-powerful user; the stand-in keeps that shape on its own schema.
    name: 'paychat_legacy',
    passwordEnv: 'LEGACY_DB_PASSWORD',
    localPassword: 'paychat_legacy_local',
    grants: (db) => [`SELECT, INSERT, UPDATE, DELETE ON \`${db.legacy}\`.*`],
  },
];
