import { sqlErrno } from '@paychat/platform';

/** MySQL/MariaDB error numbers the money code reacts to (lost races and connections: retryTransaction). */
const ER_DUP_ENTRY = 1062;
const ER_LOCK_WAIT_TIMEOUT = 1205;

export const isDuplicateKey = (err: unknown): boolean => sqlErrno(err) === ER_DUP_ENTRY;
export const isLockTimeout = (err: unknown): boolean => sqlErrno(err) === ER_LOCK_WAIT_TIMEOUT;

/** Which unique key a duplicate hit, from the driver's message ("… for key 'uq_initiator_key'"). */
export function duplicateKeyName(err: unknown): string | undefined {
  const message = (err as { message?: string })?.message ?? '';
  return /for key '(?:[^'.]+\.)?([^']+)'/.exec(message)?.[1];
}
