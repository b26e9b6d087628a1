/** MySQL/MariaDB error numbers the money code reacts to. */
const ER_DUP_ENTRY = 1062;
const ER_LOCK_WAIT_TIMEOUT = 1205;
const ER_LOCK_DEADLOCK = 1213;

function errno(err: unknown): number | undefined {
  const e = err as { errno?: number; driverError?: { errno?: number } };
  return e?.driverError?.errno ?? e?.errno;
}

export const isDuplicateKey = (err: unknown): boolean => errno(err) === ER_DUP_ENTRY;
export const isLockTimeout = (err: unknown): boolean => errno(err) === ER_LOCK_WAIT_TIMEOUT;
/** A deadlock or lock-wait timeout: the transaction lost a race and may simply be run again. */
export const isLostRace = (err: unknown): boolean => {
  const n = errno(err);
  return n === ER_LOCK_DEADLOCK || n === ER_LOCK_WAIT_TIMEOUT;
};
/**
 * The connection died under the transaction (killed, lost, reset, refused: mysql2 marks these
 * `fatal`). The server rolls back what was not committed; a fresh connection may well succeed.
 */
export const isLostConnection = (err: unknown): boolean => {
  const e = err as { fatal?: boolean; driverError?: { fatal?: boolean } };
  return (e?.driverError?.fatal ?? e?.fatal) === true;
};

/** Which unique key a duplicate hit, from the driver's message ("… for key 'uq_initiator_key'"). */
export function duplicateKeyName(err: unknown): string | undefined {
  const message = (err as { message?: string })?.message ?? '';
  return /for key '(?:[^'.]+\.)?([^']+)'/.exec(message)?.[1];
}
