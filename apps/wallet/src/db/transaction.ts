import type { DataSource, EntityManager } from 'typeorm';
import { isRetryable } from './sql-errors';

const MAX_ATTEMPTS = 5;

/**
 * The one way money code opens a transaction (READ COMMITTED, set per connection in
 * DatabaseModule), retried whole on deadlock / lock-wait timeout.
 * `work` must be safe to run again: it only touches the database through `manager`.
 */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (err) {
      if (!isRetryable(err) || attempt >= MAX_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
