/**
 * The port to the partner bank. Every call carries our operation id as its idempotency reference,
 * so asking again (or asking getStatus) never moves money twice. A timeout is an unknown outcome,
 * never a failure: callers leave the operation pending and the recovery job asks getStatus(ref).
 */
export type BankOutcome =
  { status: 'approved' } | { status: 'declined'; reason: string } | { status: 'pending' };

export interface BankAccountDetails {
  bankCode: string;
  branchCode: string;
  accountNumber: string;
  holderName: string;
}

export abstract class BankGateway {
  /** Confirms the holder owns the account (`pending` if the bank answers later). */
  abstract verifyAccount(
    ref: string,
    account: BankAccountDetails,
  ): Promise<'verified' | 'rejected' | 'pending'>;
  /** Pulls money from the user's bank account into the wallet's clearing account (a charge). */
  abstract pull(ref: string, bankAccountRef: string, amount: number): Promise<BankOutcome>;
  /** Pays out to the user's bank account (a withdrawal). */
  abstract push(ref: string, bankAccountRef: string, amount: number): Promise<BankOutcome>;
  /** The bank's final word on an earlier pull or push. */
  abstract getStatus(ref: string): Promise<BankOutcome>;
  /**
   * Gives back an approved pull we may not credit (ref = the pull's reference); idempotent.
   * Resolves once the bank confirms; a rejection or timeout means "not confirmed yet": ask again.
   */
  abstract void(ref: string): Promise<void>;
}
