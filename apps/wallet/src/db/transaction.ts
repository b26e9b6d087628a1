import type { DataSource, EntityManager } from 'typeorm';
import { committed, trackCommit } from './commit-hooks';
import { isRetryable } from './sql-errors';

const MAX_ATTEMPTS = 5;

/** Runs `attempt` again (with a little jitter) when it lost a deadlock or lock-wait race. */
export async function retryingLostRaces<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isRetryable(err) || n >= MAX_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * n));
    }
  }
}

/**
 * A short transaction outside the money path (READ COMMITTED, set per connection in
 * DatabaseModule), retried whole on deadlock / lock-wait timeout. The money path uses
 * inMoneyTransaction. `work` must be safe to run again: it only touches the database through `manager`.
 */
export function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return retryingLostRaces(async () => {
    let tx: EntityManager | undefined;
    const result = await dataSource.transaction((manager) => {
      tx = manager;
      trackCommit(manager);
      return work(manager);
    });
    if (tx) committed(tx);
    return result;
  });
}
