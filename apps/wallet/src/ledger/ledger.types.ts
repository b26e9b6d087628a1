import type { ProblemCode } from '@paychat/errors';
import type { Statement } from '../db/statement';

/** History item types (the `type` of `GET /v2/wallet/transactions` items); clients map unknown future values to `unknown`. */
export type EntryType =
  'charge' | 'withdrawal' | 'transfer_in' | 'transfer_out' | 'payment' | 'reversal' | 'opening_balance';

/** Accounts that exist once per deployment and whose balance is derived, never updated in place. */
export type SystemAccount = 'bank_clearing' | 'atm_clearing' | 'inflight_withdrawals' | 'legacy_migration';

interface LegBase {
  /** Signed yen: negative debits the account, positive credits it. */
  amount: number;
  type: EntryType;
  counterpartyId?: string;
  memo?: string;
}

/** A user's or merchant's account: locked, checked and updated, with seq and balance_after. */
export interface TrackedLeg extends LegBase {
  accountId: string;
  /** The answer when this account is frozen (e.g. account_frozen for me, recipient_unavailable for them). */
  ifInactive: ProblemCode;
  /**
   * KYC limits to apply to this leg (user accounts): `outflow` = per-operation, daily and monthly
   * limits; `balance` = the maximum balance after a credit. Unset: none (settlements, releases).
   */
  limit?: 'outflow' | 'balance';
  /** Only a `verified` user may do this (withdrawals); else 403 kyc_required. */
  requiresVerified?: boolean;
}

export interface SystemLeg extends LegBase {
  system: SystemAccount;
}

export type Leg = TrackedLeg | SystemLeg;

export interface JournalEntry {
  kind: string;
  opId: string;
  legs: Leg[];
  /** Reversals may take an account below zero (it is then debit-blocked until back at ≥ 0). */
  allowNegative?: boolean;
  /** Credits that must land even on a frozen account (completing a pending charge, releasing a hold). */
  creditInactive?: boolean;
  /** Both directions regardless of freezes (an operator's reversal). */
  ignoreStatus?: boolean;
}

export interface PostedLeg {
  accountId: string;
  seq: number;
  balanceAfter: number;
}

/** An entry checked under its accounts' locks and not written yet (Ledger.prepare). */
export interface PreparedEntry {
  /**
   * Its writes, in order (balances, seqs and counters; the entry; its postings), for the caller to
   * send in one round trip of the same transaction, with whatever else belongs in it.
   */
  writes: Statement[];
  /** Each user's or merchant's account as the entry leaves it, by account id. */
  posted: Map<string, PostedLeg>;
}
