import type { DataSource } from 'typeorm';
import { onCommit } from './commit-hooks';
import type { SqlTransaction } from './sql-transaction';
import { inTransaction } from './transaction';

const deadlock = Object.assign(new Error('Deadlock found'), { errno: 1213 });
const connectionLost = Object.assign(new Error('Connection lost'), { fatal: true });

/** A DataSource whose connections record what they are sent and fail the statements `fail` names. */
function fakeDataSource(fail: (sql: string, connection: number) => Error | undefined = () => undefined) {
  const sent: string[][] = [];
  const dataSource = {
    createQueryRunner: () => {
      const n = sent.push([]) - 1;
      return {
        connect: async () => ({
          query: (sql: string, _params: unknown[], cb: (err: Error | null, result?: unknown) => void) => {
            sent[n].push(sql);
            const err = fail(sql, n);
            setImmediate(() =>
              err ? cb(err) : cb(null, sql.startsWith('START TRANSACTION') ? [{}, []] : []),
            );
          },
        }),
        release: async () => undefined,
      };
    },
  } as unknown as DataSource;
  return { dataSource, sent };
}

const work = (tx: SqlTransaction) => tx.query('UPDATE accounts SET balance = 1');

describe('inTransaction', () => {
  it('starts the transaction with the first statement and commits after the work', async () => {
    const { dataSource, sent } = fakeDataSource();
    await inTransaction(dataSource, work);
    expect(sent).toEqual([['START TRANSACTION; UPDATE accounts SET balance = 1', 'COMMIT']]);
  });

  it('reruns the whole work on a fresh connection after a deadlock; only the winner runs its commit hooks', async () => {
    const { dataSource, sent } = fakeDataSource((sql, n) =>
      n === 0 && sql !== 'ROLLBACK' ? deadlock : undefined,
    );
    const hooks: number[] = [];
    let attempt = 0;
    await inTransaction(dataSource, async (tx) => {
      const mine = attempt++;
      onCommit(tx, () => hooks.push(mine));
      await work(tx);
    });
    expect(sent).toEqual([
      ['START TRANSACTION; UPDATE accounts SET balance = 1', 'ROLLBACK'],
      ['START TRANSACTION; UPDATE accounts SET balance = 1', 'COMMIT'],
    ]);
    expect(hooks).toEqual([1]);
  });

  it('gives the error up after five runs that all lost their race', async () => {
    const { dataSource, sent } = fakeDataSource((sql) => (sql === 'ROLLBACK' ? undefined : deadlock));
    await expect(inTransaction(dataSource, work)).rejects.toBe(deadlock);
    expect(sent).toHaveLength(5);
  });

  it('does not rerun work after its connection died unless it is keyed, and then once', async () => {
    const lost = (sql: string) => (sql === 'ROLLBACK' ? undefined : connectionLost);
    const plain = fakeDataSource(lost);
    await expect(inTransaction(plain.dataSource, work)).rejects.toBe(connectionLost);
    expect(plain.sent).toHaveLength(1);

    const keyed = fakeDataSource(lost);
    await expect(inTransaction(keyed.dataSource, work, { keyed: true })).rejects.toBe(connectionLost);
    expect(keyed.sent).toHaveLength(2);
  });

  it('rolls back and does not rerun on any other error', async () => {
    const { dataSource, sent } = fakeDataSource();
    const refused = new Error('insufficient funds');
    await expect(
      inTransaction(dataSource, async (tx) => {
        await work(tx);
        throw refused;
      }),
    ).rejects.toBe(refused);
    expect(sent).toEqual([['START TRANSACTION; UPDATE accounts SET balance = 1', 'ROLLBACK']]);
  });
});
