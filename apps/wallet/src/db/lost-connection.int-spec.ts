import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TestWalletUser, WalletHarness } from '../../../../test/harness/wallet-harness';

type Callback = (err: Error | null, result?: unknown) => void;
interface PooledConnection {
  query(sql: string, params: unknown[], cb: Callback): void;
  destroy(): void;
}

/** A keyed money operation whose connection dies under it runs once more, and takes effect once. */
describe('a keyed transfer that loses its connection', () => {
  let w: WalletHarness;
  let a: TestWalletUser;
  let b: TestWalletUser;

  beforeAll(async () => {
    w = await WalletHarness.start();
    [a, b] = [await w.user(100_000), await w.user()];
  });
  afterAll(() => w.stop());

  const transfer = (key: string) => w.transfer(a, b, key);
  const transfersWith = (key: string) => w.transfersWithKey(a, key);

  it('killed while it waits on a lock (KILL, as an operator or a failover would): it succeeds, exactly once', async () => {
    const before = await w.balance(a);
    // Hold the sender's account row so the transfer waits on it, then kill the waiting connection.
    await w.db.query('START TRANSACTION');
    await w.db.query('SELECT id FROM accounts WHERE id = ? FOR UPDATE', [a.accountId]);
    const key = randomUUID();
    const pending = transfer(key);
    let settled: unknown;
    void pending.then((res) => (settled = res));
    let waiting: { id: number }[] = [];
    while (waiting.length === 0) {
      // A transfer that never waits would leave this loop spinning: say what it answered instead.
      expect(settled).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 20));
      [waiting] = (await w.db.query(
        `SELECT r.trx_mysql_thread_id AS id FROM information_schema.INNODB_LOCK_WAITS l
         JOIN information_schema.INNODB_TRX r ON r.trx_id = l.requesting_trx_id
         JOIN information_schema.INNODB_TRX h ON h.trx_id = l.blocking_trx_id
         WHERE h.trx_mysql_thread_id = CONNECTION_ID()`,
      )) as unknown as [{ id: number }[]];
    }
    await w.db.query(`KILL ${Number(waiting[0].id)}`);
    await w.db.query('ROLLBACK');

    const res = await pending;
    expect(res.status).toBe(201);
    expect(await transfersWith(key)).toBe(1);
    expect(await w.balance(a)).toBe(before - 100);
    const again = await transfer(key);
    expect(again.body.id).toBe(res.body.id);
    expect(await w.balance(a)).toBe(before - 100);
  });

  it('its COMMIT went through but the answer was lost: the rerun answers from the idempotency key, exactly once', async () => {
    const before = await w.balance(a);
    // The connection dies right after the server committed: the caller sees the driver's own fatal error.
    const pool = (w.app.get(DataSource).driver as unknown as { pool: NodeJS.EventEmitter }).pool;
    let armed = true;
    const loseCommitAnswer = (connection: PooledConnection) => {
      const query = connection.query.bind(connection);
      connection.query = (sql, params, cb) =>
        query(sql, params, (err, result) => {
          if (err || !armed || !sql.endsWith('COMMIT')) return cb(err, result);
          armed = false;
          connection.destroy();
          query('SELECT 1', [], cb);
        });
    };
    pool.on('acquire', loseCommitAnswer);
    const key = randomUUID();
    try {
      const res = await transfer(key);
      expect(armed).toBe(false);
      expect(res.status).toBe(201);
      expect(res.headers.get('idempotent-replayed')).toBe('true');
      expect(await transfersWith(key)).toBe(1);
      expect(await w.balance(a)).toBe(before - 100);
    } finally {
      pool.off('acquire', loseCommitAnswer);
    }
  });
});
