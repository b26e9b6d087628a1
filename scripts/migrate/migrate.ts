import mysql, { Connection } from 'mysql2/promise';
import { LEGACY_MIGRATIONS } from '../../apps/legacy/src/db/migrations';
import { WALLET_MIGRATIONS } from '../../apps/wallet/src/db/migrations';
import { DEMO_MERCHANT_ID } from '../../libs/testing/src/local-seed';
import { DB_USERS } from './db-users';
import { ensureMessagesTable } from './dynamo-table';
import { runMigrations } from './run-migrations';

export interface MigrateOptions {
  /** Seed demo data for the local stack (a merchant to pay). */
  seedDemo?: boolean;
  /** An account that may create databases and users (root locally, the cluster admin in production). */
  adminUrl: string;
  walletDb: string;
  legacyDb: string;
  /** DynamoDB endpoint (DynamoDB Local); defaults to env DYNAMODB_ENDPOINT. Without one the table step is skipped. */
  dynamoEndpoint?: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

const LOCK = 'paychat_migrate';

function passwordFor(user: (typeof DB_USERS)[number], env: NodeJS.ProcessEnv): string {
  return env[user.passwordEnv] ?? user.localPassword;
}

async function tableExists(conn: Connection, db: string, table: string): Promise<boolean> {
  const [rows] = await conn.query(
    'SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?',
    [db, table],
  );
  return (rows as unknown[]).length > 0;
}

async function ensureUsers(conn: Connection, opts: MigrateOptions, env: NodeJS.ProcessEnv): Promise<void> {
  const dbs = { wallet: opts.walletDb, legacy: opts.legacyDb };
  for (const user of DB_USERS) {
    const password = passwordFor(user, env);
    await conn.query("CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?", [user.name, password]);
    await conn.query("ALTER USER ?@'%' IDENTIFIED BY ?", [user.name, password]);
    for (const grant of user.grants(dbs)) {
      const table = /`[^`]+`\.`([^`]+)`$/.exec(grant)?.[1];
      if (table && !(await tableExists(conn, opts.walletDb, table))) continue;
      await conn.query(`GRANT ${grant} TO ?@'%'`, [user.name]);
    }
  }
}

/**
 * Creates the databases and least-privilege users, then migrates every store, under one
 * GET_LOCK so two runners (two replicas, a retried ECS task) never interleave. Idempotent.
 */
export async function migrate(opts: MigrateOptions): Promise<void> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const admin = await mysql.createConnection({ uri: opts.adminUrl });
  try {
    const [[lock]] = (await admin.query('SELECT GET_LOCK(?, 120) AS got', [LOCK])) as unknown as [
      [{ got: number }],
    ];
    if (lock.got !== 1) throw new Error('another migration holds the lock');
    for (const db of [opts.walletDb, opts.legacyDb]) {
      await admin.query(`CREATE DATABASE IF NOT EXISTS \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    }
    await ensureUsers(admin, opts, env);

    // Run as the migrator, never by a service at boot.
    const migrator = DB_USERS.find((u) => u.name === 'paychat_migrator')!;
    const stores = [
      { store: 'legacy', db: opts.legacyDb, migrations: LEGACY_MIGRATIONS },
      { store: 'wallet', db: opts.walletDb, migrations: WALLET_MIGRATIONS },
    ];
    for (const { store, db, migrations } of stores) {
      const url = dbUrl(opts.adminUrl, migrator.name, passwordFor(migrator, env), db);
      const applied = await runMigrations(url, migrations);
      log(`${store} (${db}): ${applied.length ? applied.join(', ') : 'up to date'}`);
    }
    if (opts.seedDemo) await seedDemoMerchant(admin, opts.walletDb);

    // Table-level grants need their tables: run once more now that migrations created them.
    await ensureUsers(admin, opts, env);
    await admin.query('SELECT RELEASE_LOCK(?)', [LOCK]);
  } finally {
    await admin.end();
  }

  const dynamoEndpoint = opts.dynamoEndpoint ?? env.DYNAMODB_ENDPOINT;
  if (dynamoEndpoint) {
    const table = env.MESSAGES_TABLE ?? 'paychat-messages';
    const created = await ensureMessagesTable({
      endpoint: dynamoEndpoint,
      table,
      region: env.AWS_REGION ?? 'ap-northeast-1',
    });
    log(`messages (DynamoDB ${table}): ${created ? 'created' : 'up to date'}`);
  }
}

/** Builds a URL for one of our DB users on the admin URL's host. */
export function dbUrl(adminUrl: string, user: string, password: string, database: string): string {
  const url = new URL(adminUrl);
  url.username = user;
  url.password = password;
  url.pathname = `/${database}`;
  return url.toString();
}

/** A merchant to pay on the local stack (idempotent). */
async function seedDemoMerchant(admin: Connection, walletDb: string): Promise<void> {
  await admin.query(`INSERT IGNORE INTO \`${walletDb}\`.merchants (id, name) VALUES (?, 'Paychat Cafe')`, [
    DEMO_MERCHANT_ID,
  ]);
  await admin.query(`INSERT IGNORE INTO \`${walletDb}\`.accounts (kind, owner_id) VALUES ('merchant', ?)`, [
    DEMO_MERCHANT_ID,
  ]);
}
