import mysql from 'mysql2/promise';
import { purge } from '../scripts/janitor';
import { dbUrl } from '../scripts/migrate/migrate';
import { TEST_WALLET_DB, MYSQL_ADMIN_URL } from './test-env';

/** Least privilege (the freee lesson): what each DB user may and may not do, proven on MariaDB. */
describe('database users', () => {
  let runtime: mysql.Connection;
  let janitor: mysql.Connection;
  let root: mysql.Connection;

  beforeAll(async () => {
    runtime = await mysql.createConnection({ uri: process.env.WALLET_DB_URL });
    janitor = await mysql.createConnection({
      uri: dbUrl(MYSQL_ADMIN_URL, 'paychat_janitor', 'paychat_janitor_local', TEST_WALLET_DB),
    });
    root = await mysql.createConnection({ uri: MYSQL_ADMIN_URL, database: TEST_WALLET_DB });
  });
  afterAll(async () => Promise.all([runtime.end(), janitor.end(), root.end()]));

  it.each([
    ['DELETE', 'DELETE FROM postings WHERE id = -1'],
    ['DELETE', 'DELETE FROM idempotency_keys WHERE user_id = ""'],
    ['DROP', 'DROP TABLE postings'],
    ['TRUNCATE', 'TRUNCATE TABLE outbox'],
    ['ALTER', 'ALTER TABLE accounts ADD COLUMN hacked INT'],
    ['CREATE', 'CREATE TABLE hacked (id INT)'],
    ['DROP DATABASE', `DROP DATABASE ${TEST_WALLET_DB}`],
  ])('the runtime user cannot %s (%s)', async (_, sql) => {
    await expect(runtime.query(sql)).rejects.toMatchObject({ code: expect.stringMatching(/DENIED/) });
  });

  it('the runtime user can read, insert and update', async () => {
    await expect(runtime.query('SELECT COUNT(*) FROM accounts')).resolves.toBeDefined();
    await expect(runtime.query(`UPDATE accounts SET status = status WHERE id = -1`)).resolves.toBeDefined();
  });

  it('the janitor deletes expired keys and delivered events, and nothing else', async () => {
    await root.query(
      `INSERT INTO idempotency_keys (user_id, idem_key, method, path, body_hash, state, expires_at)
       VALUES ('01JANITORTEST0000000000000', 'old-key', 'POST', '/x', REPEAT('0', 64), 'completed', CURRENT_TIMESTAMP(3) - INTERVAL 1 HOUR)`,
    );
    const purged = await purge(
      dbUrl(MYSQL_ADMIN_URL, 'paychat_janitor', 'paychat_janitor_local', TEST_WALLET_DB),
    );
    expect(purged.keys).toBeGreaterThanOrEqual(1);
    await expect(janitor.query('DELETE FROM postings WHERE id = -1')).rejects.toMatchObject({
      code: expect.stringMatching(/DENIED/),
    });
    await expect(janitor.query('DELETE FROM transfers WHERE id = ""')).rejects.toMatchObject({
      code: expect.stringMatching(/DENIED/),
    });
    await expect(janitor.query('UPDATE accounts SET balance = 0 WHERE id = -1')).rejects.toMatchObject({
      code: expect.stringMatching(/DENIED/),
    });
  });
});
