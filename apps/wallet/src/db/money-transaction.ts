import type { DataSource } from 'typeorm';
import type { Sql } from './sql';
import type { Statement } from './statement';
import { committed, trackCommit } from './commit-hooks';
import { retrying } from './transaction';

type Callback = (err: Error | null, result?: unknown) => void;
interface RawConnection {
  query(sql: string, params: unknown[], callback: Callback): void;
}

/**
 * The money path's transaction: a raw mysql2 connection borrowed from TypeORM's pool (no per-query
 * ORM overhead), with START TRANSACTION riding on the first statement and COMMIT on the last —
 * two round trips fewer than a separate BEGIN and COMMIT. Isolation (READ COMMITTED) and the lock
 * wait are set per pooled connection (DatabaseModule).
 */
export class MoneyTransaction implements Sql {
  private begun = false;

  constructor(private readonly connection: RawConnection) {}

  async query(sql: string, params: unknown[] = []): Promise<unknown> {
    if (this.begun) return this.raw(sql, params);
    this.begun = true;
    const [, ...results] = (await this.raw(`START TRANSACTION; ${sql}`, params)) as unknown[];
    return results.length === 1 ? results[0] : results;
  }

  /** Runs `last` (if any) and COMMIT in one round trip. */
  async commit(last?: Statement): Promise<void> {
    if (!this.begun) return;
    await this.raw(last ? `${last.sql}; COMMIT` : 'COMMIT', last?.params ?? []);
    this.begun = false;
  }

  async rollback(): Promise<void> {
    if (!this.begun) return;
    this.begun = false;
    await this.raw('ROLLBACK', []);
  }

  private raw(sql: string, params: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) =>
      this.connection.query(sql, params, (err, result) => (err ? reject(err) : resolve(result))),
    );
  }
}

/**
 * Runs a keyed operation's `work` (IdempotentOperation's) in a MoneyTransaction, rolled back on any
 * error and retried whole on deadlock / lock timeout, and once on a fresh connection when its own
 * died (killed, lost). That rerun is exactly-once even when the dead attempt's COMMIT went out and
 * its answer never came back: had it committed, the rerun's claim of the idempotency key finds the
 * completed key and answers its stored result; a settlement's rerun finds its row no longer pending
 * and reports it as it is.
 */
export function inMoneyTransaction<T>(
  dataSource: DataSource,
  work: (tx: MoneyTransaction) => Promise<T>,
): Promise<T> {
  return retrying({ keyed: true }, async () => {
    const runner = dataSource.createQueryRunner();
    const tx = new MoneyTransaction((await runner.connect()) as RawConnection);
    trackCommit(tx);
    try {
      const result = await work(tx);
      await tx.commit();
      committed(tx);
      return result;
    } catch (err) {
      await tx.rollback().catch(() => undefined);
      throw err;
    } finally {
      await runner.release();
    }
  });
}
