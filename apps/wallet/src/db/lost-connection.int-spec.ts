import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CallResult, TestWalletUser, WalletHarness } from '../../../../test/harness/wallet-harness';

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
    const key = randomUUID();
    // Hold the sender's account row so the transfer waits on it, then kill the waiting connection.
    await w.db.query('START TRANSACTION');
    let pending!: Promise<CallResult>;
    try {
      await w.db.query('SELECT id FROM accounts WHERE id = ? FOR UPDATE', [a.accountId]);
      pending = transfer(key);
      let settled: unknown;
      void pending.then((res) => (settled = res));
      let waiting: { id: number }[] = [];
      while (waiting.length === 0) {
        // A transfer that never waits would leave this loop spinning: say what it answered instead.
        expect(settled).toBeUndefined();
        await new Promise((resolve) => setTimeout(resolve, 20));
        // The connection running the transfer's locking read of the held row, which cannot finish
        // while this one holds it. (The processlist, not InnoDB's lock-wait tables: under load
        // MariaDB can leave a waiting transaction out of those for longer than the wait lasts.)
        [waiting] = (await w.db.query(
          `SELECT ID AS id FROM information_schema.PROCESSLIST
           WHERE DB = DATABASE() AND ID <> CONNECTION_ID() AND INFO LIKE '%FROM accounts a%FOR UPDATE%'`,
        )) as unknown as [{ id: number }[]];
      }
      await w.db.query(`KILL ${Number(waiting[0].id)}`);
    } finally {
      await w.db.query('ROLLBACK');
    }

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
