import mysql from 'mysql2/promise';
import { LEGACY_MIGRATIONS } from '../apps/legacy/src/db/migrations';
import { migrate } from '../scripts/migrate/migrate';
import { runMigrations } from '../scripts/migrate/run-migrations';
import { MYSQL_ADMIN_URL, testEnv, workerStores } from './test-env';

const stores = workerStores(Number(process.env.JEST_WORKER_ID ?? 1));
const FRESH = `${stores.legacyDb}_fresh`;
const OLD = `${stores.legacyDb}_old`;

function adminUrl(db: string): string {
  const url = new URL(MYSQL_ADMIN_URL);
  url.pathname = `/${db}`;
  return url.toString();
}

/** One migration system for both databases: the runner `npm run migrate` uses, on scratch databases. */
describe('migrations', () => {
  let root: mysql.Connection;

  /** Every table's definition; AUTO_INCREMENT counters are data, not schema. */
  async function schemaOf(db: string): Promise<string[]> {
    const [tables] = await root.query(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name',
      [db],
    );
    const definitions: string[] = [];
    for (const { name } of tables as { name: string }[]) {
      const [[created]] = (await root.query(`SHOW CREATE TABLE \`${db}\`.\`${name}\``)) as unknown as [
        [{ 'Create Table': string }],
      ];
      definitions.push(created['Create Table'].replace(/ AUTO_INCREMENT=\d+/, ''));
    }
    return definitions;
  }

  async function recorded(db: string): Promise<string[]> {
    const [rows] = await root.query(`SELECT name FROM \`${db}\`.typeorm_migrations ORDER BY id`);
    return (rows as { name: string }[]).map((r) => r.name);
  }

  beforeAll(async () => {
    root = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
    for (const db of [FRESH, OLD]) {
      await root.query(`DROP DATABASE IF EXISTS \`${db}\``);
      await root.query(`CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    }
  });
  afterAll(async () => {
    for (const db of [FRESH, OLD]) await root.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await root.end();
  });

  it('adopts a legacy database the retired .sql runner migrated: identical schema, its rows kept, nothing run twice', async () => {
    const names = LEGACY_MIGRATIONS.map((m) => new m().name);
    await expect(runMigrations(adminUrl(FRESH), LEGACY_MIGRATIONS)).resolves.toEqual(names);

    // The state the .sql runner left (its files created exactly what the migrations create), then a
    // life lived on it: a balance spent, a user added, a seeded user gone.
    await runMigrations(adminUrl(OLD), LEGACY_MIGRATIONS);
    const old = await mysql.createConnection({ uri: adminUrl(OLD) });
    try {
      await old.query('DROP TABLE typeorm_migrations');
      await old.query(
        'CREATE TABLE schema_migrations (name VARCHAR(255) PRIMARY KEY, applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))',
      );
      await old.query(`INSERT INTO schema_migrations (name) VALUES ('001_schema.sql'), ('002_seed.sql')`);
      await old.query('UPDATE balances SET amount = 4000 WHERE amount = 5000');
      await old.query(
        `INSERT INTO users (email, password_hash, name) VALUES ('saburo@legacy.paychat.local', 'x', '三郎')`,
      );
      const jiro = `SELECT id FROM users WHERE email = 'jiro@legacy.paychat.local'`;
      await old.query(`DELETE FROM balances WHERE user_id = (${jiro})`);
      await old.query(`DELETE FROM users WHERE email = 'jiro@legacy.paychat.local'`);
      await old.query(`UPDATE settings SET value = 'read_only' WHERE name = 'balance_writes'`);
    } finally {
      await old.end();
    }

    await expect(runMigrations(adminUrl(OLD), LEGACY_MIGRATIONS)).resolves.toEqual(names);

    expect(await schemaOf(OLD)).toEqual(await schemaOf(FRESH));
    expect(await recorded(OLD)).toEqual(await recorded(FRESH));
    const [users] = await root.query(
      `SELECT u.email, b.amount FROM \`${OLD}\`.users u LEFT JOIN \`${OLD}\`.balances b ON b.user_id = u.id ORDER BY u.id`,
    );
    expect(users).toEqual([
      { email: 'taro@legacy.paychat.local', amount: 4000 },
      { email: 'hanako@legacy.paychat.local', amount: 12000 },
      { email: 'saburo@legacy.paychat.local', amount: null },
    ]);
    const [settings] = await root.query(`SELECT name, value FROM \`${OLD}\`.settings`);
    expect(settings).toEqual([{ name: 'balance_writes', value: 'read_only' }]);
    await expect(runMigrations(adminUrl(OLD), LEGACY_MIGRATIONS)).resolves.toEqual([]);
  });

  it('migrate() a second time changes nothing: every store is up to date', async () => {
    const before = [await schemaOf(stores.walletDb), await schemaOf(stores.legacyDb)];
    const lines: string[] = [];
    await migrate({
      adminUrl: MYSQL_ADMIN_URL,
      walletDb: stores.walletDb,
      legacyDb: stores.legacyDb,
      env: { ...process.env, ...testEnv() },
      log: (line) => lines.push(line),
    });
    expect(lines).toEqual([
      `legacy (${stores.legacyDb}): up to date`,
      `wallet (${stores.walletDb}): up to date`,
      `messages (DynamoDB ${stores.messagesTable}): up to date`,
    ]);
    expect([await schemaOf(stores.walletDb), await schemaOf(stores.legacyDb)]).toEqual(before);
  });
});
