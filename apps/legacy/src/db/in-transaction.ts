import type { Pool, PoolConnection } from 'mysql2/promise';
import { isLostConnection, retryTransaction } from '@paychat/platform';

/** Runs `work` in one transaction on one connection, run again whole when the shared retry rule says so. */
export function inTransaction<T>(pool: Pool, work: (conn: PoolConnection) => Promise<T>): Promise<T> {
  return retryTransaction(async () => {
    const conn = await pool.getConnection();
    let broken = false;
    try {
      await conn.beginTransaction();
      const result = await work(conn);
      await conn.commit();
      return result;
    } catch (err) {
      broken = isLostConnection(err);
      if (!broken) await conn.rollback().catch(() => undefined);
      throw err;
    } finally {
      // A connection that died mid-transaction must not go back to the pool.
      if (broken) conn.destroy();
      else conn.release();
    }
  });
}
