import type mysql from 'mysql2/promise';
import { COUNTERS_OFF } from '../limits/outflow-counters';

export interface LedgerReport {
  unbalancedEntries: number;
  accountsOffTheirPostings: number;
  /** Accounts whose outflow counters ≠ Σ outflow postings of their stamped JST day or month. */
  outflowCountersOff: number;
  negativeUserAccounts: number;
  /** Σ(user + merchant balances) + Σ(system postings): zero when nothing was created or lost. */
  conservationGap: number;
}

const one = async (db: mysql.Connection, sql: string) =>
  Number(((await db.query(sql)) as unknown as [[{ n: string | null }]])[0][0].n ?? 0);

/** The double-entry invariants (README: how money is kept right), checked from outside the service with plain SQL. */
export async function checkLedger(db: mysql.Connection): Promise<LedgerReport> {
  return {
    unbalancedEntries: await one(
      db,
      'SELECT COUNT(*) n FROM (SELECT entry_id FROM postings GROUP BY entry_id HAVING SUM(amount) <> 0) x',
    ),
    accountsOffTheirPostings: await one(
      db,
      `SELECT COUNT(*) n FROM accounts a LEFT JOIN (SELECT account_id, SUM(amount) s FROM postings GROUP BY account_id) p ON p.account_id = a.id
       WHERE a.kind <> 'system' AND a.balance <> COALESCE(p.s, 0)`,
    ),
    outflowCountersOff: await one(
      db,
      `SELECT COUNT(*) n FROM accounts a WHERE a.kind <> 'system' AND ${COUNTERS_OFF}`,
    ),
    // Only a reversal may leave a user below zero (the account is then debit-blocked).
    negativeUserAccounts: await one(
      db,
      `SELECT COUNT(*) n FROM accounts a WHERE a.kind = 'user' AND a.balance < 0
       AND NOT EXISTS (SELECT 1 FROM postings p WHERE p.account_id = a.id AND p.op_type = 'reversal')`,
    ),
    conservationGap:
      (await one(db, `SELECT SUM(balance) n FROM accounts WHERE kind <> 'system'`)) +
      (await one(
        db,
        `SELECT SUM(p.amount) n FROM postings p JOIN accounts a ON a.id = p.account_id WHERE a.kind = 'system'`,
      )),
  };
}

export const HEALTHY: LedgerReport = {
  unbalancedEntries: 0,
  accountsOffTheirPostings: 0,
  outflowCountersOff: 0,
  negativeUserAccounts: 0,
  conservationGap: 0,
};
