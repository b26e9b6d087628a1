/** MySQL/MariaDB error numbers of a transaction that lost a race for a lock. */
const ER_LOCK_WAIT_TIMEOUT = 1205;
const ER_LOCK_DEADLOCK = 1213;
/** Runs of a transaction that keeps losing races before its error is the caller's. */
const MAX_ATTEMPTS = 5;

/** The server's error number, also through TypeORM's wrapper (QueryFailedError.driverError). */
export function sqlErrno(err: unknown): number | undefined {
  const e = err as { errno?: number; driverError?: { errno?: number } };
  return e?.driverError?.errno ?? e?.errno;
}

/** A deadlock or lock-wait timeout: the server rolled the transaction back, and running it again may win. */
function isLostRace(err: unknown): boolean {
  const n = sqlErrno(err);
  return n === ER_LOCK_DEADLOCK || n === ER_LOCK_WAIT_TIMEOUT;
}

/**
 * The connection died under the transaction (killed, lost, reset, refused: mysql2 marks these
 * `fatal`). The server rolls back what was not committed; a fresh connection may well succeed.
 */
export function isLostConnection(err: unknown): boolean {
  const e = err as { fatal?: boolean; driverError?: { fatal?: boolean } };
  return (e?.driverError?.fatal ?? e?.fatal) === true;
}

export interface RetryOptions {
  /**
   * The work is exactly-once by itself (it claims an idempotency key first), so it may run once
   * more on a fresh connection after its own died — even if that one's COMMIT went out and only
   * the answer was lost. Anything else must not: it could apply twice.
   */
  keyed?: boolean;
}

/**
 * The one rule for running a transaction again, in every app: `attempt` (one whole transaction on
 * its own connection) reruns after it lost a deadlock or lock-wait race — with a little jitter, so
 * the racers do not meet again — up to MAX_ATTEMPTS runs; and once after a lost connection if it is
 * `keyed`. Any other error is the caller's.
 */
export async function retryTransaction<T>(
  attempt: () => Promise<T>,
  { keyed = false }: RetryOptions = {},
): Promise<T> {
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
