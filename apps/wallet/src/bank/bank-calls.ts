import type { BankOutcome } from './bank-gateway';

/**
 * Bounds a bank call: a timeout or transport error means "we do not know" → pending, never failed.
 * The operation id is the bank's reference, so the recovery job can ask later.
 */
export async function callBank(call: () => Promise<BankOutcome>, timeoutMs: number): Promise<BankOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<BankOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'pending' }), timeoutMs);
  });
  try {
    return await Promise.race([call().catch((): BankOutcome => ({ status: 'pending' })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
