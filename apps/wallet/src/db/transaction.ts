import type { DataSource } from 'typeorm';
import { retryTransaction, type RetryOptions } from '@paychat/platform';
import { committed, trackCommit } from './commit-hooks';
import { RawConnection, SqlTransaction } from './sql-transaction';

/**
 * Runs `work` in one SqlTransaction, rolled back on any error and run again whole by the shared
 * rule (retryTransaction): after a lost deadlock or lock-wait race; and, for a `keyed` operation
 * (IdempotentOperation's), once on a fresh connection when its own died (killed, lost). That rerun
 * is exactly-once even when the dead attempt's COMMIT went out and its answer never came back: had
 * it committed, the rerun's claim of the idempotency key finds the completed key and answers its
 * stored result; a settlement's rerun finds its row no longer pending and reports it as it is.
 * `work` must be safe to run again: it only touches the database through `tx`. Hooks it registers
 * with onCommit run once it has committed.
 */
export function inTransaction<T>(
  dataSource: DataSource,
  work: (tx: SqlTransaction) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  return retryTransaction(async () => {
    const runner = dataSource.createQueryRunner();
    const tx = new SqlTransaction((await runner.connect()) as RawConnection);
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
  }, options);
}
