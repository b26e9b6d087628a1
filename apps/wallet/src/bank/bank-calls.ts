import type { BankOutcome } from './bank-gateway';

/**
 * Bounds a bank call: a timeout or transport error means "we do not know" → pending, never failed.
 * The operation id is the bank's reference, so the recovery job can ask later.
 */
export function callBank(call: () => Promise<BankOutcome>, timeoutMs: number): Promise<BankOutcome> {
  return bounded(call, timeoutMs, { status: 'pending' });
}

/** Whether the bank confirmed a void in time (false: still owed, asked again later). */
export function voidConfirmed(call: () => Promise<void>, timeoutMs: number): Promise<boolean> {
  return bounded(() => call().then(() => true), timeoutMs, false);
}

async function bounded<T>(call: () => Promise<T>, timeoutMs: number, unknown: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(unknown), timeoutMs);
  });
  try {
    return await Promise.race([call().catch(() => unknown), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
