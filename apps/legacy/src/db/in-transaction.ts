import type { Pool, PoolConnection } from 'mysql2/promise';

/** Deadlock victim / lock wait timeout: the whole transaction is safe to run again. */
const RETRYABLE_ERRNOS = new Set([1213, 1205]);
const MAX_ATTEMPTS = 3;

/** Runs `work` in one transaction on one connection, retrying it whole on a deadlock. */
export async function inTransaction<T>(pool: Pool, work: (conn: PoolConnection) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const conn = await pool.getConnection();
    let broken = false;
    try {
      await conn.beginTransaction();
      const result = await work(conn);
      await conn.commit();
      return result;
    } catch (err) {
      broken = (err as { fatal?: boolean }).fatal === true;
      if (!broken) await conn.rollback().catch(() => undefined);
      const errno = (err as { errno?: number }).errno;
      if (attempt >= MAX_ATTEMPTS || errno === undefined || !RETRYABLE_ERRNOS.has(errno)) throw err;
    } finally {
      // A connection that died mid-transaction must not go back to the pool.
      if (broken) conn.destroy();
      else conn.release();
    }
  }
}
