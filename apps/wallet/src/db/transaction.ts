import type { DataSource, EntityManager } from 'typeorm';
import { committed, trackCommit } from './commit-hooks';
import { isLostConnection, isLostRace } from './sql-errors';

const MAX_ATTEMPTS = 5;

/**
 * Runs `attempt` again when that is safe: after it lost a deadlock or lock-wait race (with a little
 * jitter), and once after its connection died if it is `keyed` — exactly-once however far the dead
 * attempt got, even past a COMMIT whose outcome never arrived (inMoneyTransaction says why).
 */
export async function retrying<T>({ keyed }: { keyed: boolean }, attempt: () => Promise<T>): Promise<T> {
  let reconnected = false;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (keyed && !reconnected && isLostConnection(err)) {
        reconnected = true;
        continue;
      }
      if (!isLostRace(err) || n >= MAX_ATTEMPTS) throw err;
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
  return retrying({ keyed: false }, async () => {
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
