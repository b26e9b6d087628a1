import { Injectable } from '@nestjs/common';
import { placeholders } from '../db/placeholders';
import { selectOne, toSafeInt } from '../db/rows';
import type { Sql } from '../db/sql';
import type { Statement } from '../db/statement';
import type { KycLevel } from '../limits/kyc-limits';
import {
  bumpCounters,
  JST_THIS_MONTH,
  JST_TODAY,
  OUTFLOW_USED,
  outflowsInMonth,
  outflowsOnDay,
  outflowUsed,
  type OutflowUsed,
  type UsedColumns,
} from '../limits/outflow-counters';
import type { SystemAccount } from './ledger.types';

export interface WalletRow {
  balance: number;
  status: string;
  kycLevel: KycLevel;
  used: OutflowUsed;
}

/** An account row as a posting checks it, under its lock. */
export interface LockedAccount extends UsedColumns {
  id: string;
  balance: string;
  seq: string;
  status: string;
  kyc_level: KycLevel | null;
}

/** One posted account's changes: `outflow` is what its KYC counters add (0 for an inflow). */
export interface AccountPosting {
  accountId: string;
  amount: number;
  outflow: number;
}

/** An account's balance and the sum of all its postings (reconciliation). */
export interface SumRow {
  id: string;
  balance: string;
  postings: string;
}

/** An account's outflow counters and the outflow postings of their stamped periods (reconciliation). */
export interface CounterRow {
  id: string;
  outflow_day: string;
  day_postings: string;
  outflow_month?: string;
  month_postings?: string;
}

const SUM_OF_POSTINGS = `COALESCE((SELECT SUM(p.amount) FROM postings p WHERE p.account_id = a.id), 0)`;
const TOUCHED = `a.kind <> 'system' AND a.id IN (SELECT account_id FROM postings WHERE entry_id > ? AND entry_id <= ?)`;

/** Joins the wallet account, as `alias`, of the user or merchant whose id is in column `ownerId`. */
export const joinAccountOf = (kind: 'user' | 'merchant', ownerId: string, alias = 'a') =>
  `JOIN accounts ${alias} ON ${alias}.kind = '${kind}' AND ${alias}.owner_id = ${ownerId}`;

/**
 * Sets every user's and merchant's outflow counters from their postings for the current JST day
 * and month (the migration that added them; a benchmark that seeds history by SQL). Run while no
 * money moves: a posting committed during the fill could be missed.
 */
export async function fillOutflowCounters(q: Sql): Promise<void> {
  await q.query(
    `UPDATE accounts a SET a.outflow_day = ${outflowsOnDay('a.id', JST_TODAY)}, a.outflow_day_of = ${JST_TODAY},
       a.outflow_month = ${outflowsInMonth('a.id', JST_THIS_MONTH)}, a.outflow_month_of = ${JST_THIS_MONTH}
     WHERE a.kind <> 'system'`,
  );
}

/** The ledger's accounts rows: every write of the table is in this file. */
@Injectable()
export class AccountsRepository {
  /** Locks the accounts in id order (no deadlock between opposite transfers). */
  async lockForPosting(m: Sql, accountIds: string[]): Promise<LockedAccount[]> {
    const ids = [...accountIds].sort((a, b) => Number(a) - Number(b));
    return (await m.query(
      `SELECT a.id, a.balance, a.seq, a.status, u.kyc_level, ${OUTFLOW_USED}
       FROM accounts a LEFT JOIN users u ON a.kind = 'user' AND u.id = a.owner_id
       WHERE a.id IN (${placeholders(ids.length)}) ORDER BY a.id FOR UPDATE`,
      ids,
    )) as LockedAccount[];
  }

  /**
   * The balances, seqs and outflow counters after an entry's postings, for the entry's round trip
   * (after SET_POSTED_AT, which sets the @day and @month the counters are stamped with).
   */
  applyPostings(postings: AccountPosting[]): Statement {
    const cases = postings.map(() => 'WHEN ? THEN ?').join(' ');
    const outflows = postings.flatMap((p) => [p.accountId, p.outflow]);
    return {
      sql: `UPDATE accounts SET balance = balance + CASE id ${cases} END, seq = seq + 1,
         ${bumpCounters(`CASE id ${cases} END`)} WHERE id IN (${placeholders(postings.length)})`,
      params: [
        ...postings.flatMap((p) => [p.accountId, p.amount]),
        ...outflows,
        ...outflows,
        ...postings.map((p) => p.accountId),
      ],
    };
  }

  /** The system accounts' ids by code (created by the first migration). */
  async systemIds(m: Sql): Promise<Map<SystemAccount, string>> {
    const rows = (await m.query(`SELECT id, system_code FROM accounts WHERE kind = 'system'`)) as {
      id: string;
      system_code: SystemAccount;
    }[];
    return new Map(rows.map((r) => [r.system_code, String(r.id)]));
  }

  /**
   * A user who came from the legacy app claims the account their balance was imported into — a
   * conditional update, so an imported balance is claimed once and only by its owner (the legacy id
   * comes from a Cognito attribute no app client may write). Everyone else, and a legacy user whose
   * balance is not imported yet (the import then credits this account), gets a new one.
   */
  async openUserAccount(m: Sql, userId: string, legacyUserId?: number): Promise<void> {
    if (legacyUserId !== undefined) {
      const claimed = (await m.query(
        `UPDATE accounts SET owner_id = ? WHERE kind = 'user' AND legacy_user_id = ? AND owner_id IS NULL`,
        [userId, legacyUserId],
      )) as { affectedRows: number };
      if (claimed.affectedRows === 1) return;
    }
    await m.query(`INSERT INTO accounts (kind, owner_id, legacy_user_id) VALUES ('user', ?, ?)`, [
      userId,
      legacyUserId ?? null,
    ]);
  }

  /** The account a legacy balance is imported into: the existing one if an earlier run or its owner opened it. */
  async openLegacyAccount(m: Sql, legacyUserId: number): Promise<string> {
    await m.query(
      `INSERT INTO accounts (kind, legacy_user_id) VALUES ('user', ?) ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)`,
      [legacyUserId],
    );
    const [{ id }] = (await m.query('SELECT LAST_INSERT_ID() AS id')) as { id: string }[];
    return String(id);
  }

  async openMerchantAccount(m: Sql, merchantId: string): Promise<string> {
    const account = (await m.query(`INSERT INTO accounts (kind, owner_id) VALUES ('merchant', ?)`, [
      merchantId,
    ])) as { insertId: number };
    return String(account.insertId);
  }

  /** Freezes or unfreezes a user's wallet, for the caller's transaction. */
  setUserStatus(userId: string, status: 'active' | 'frozen'): Statement {
    return {
      sql: `UPDATE accounts SET status = ? WHERE kind = 'user' AND owner_id = ?`,
      params: [status, userId],
    };
  }

  /** What an incoming amount is checked against, without a lock. */
  async receiving(
    m: Sql,
    accountId: string,
  ): Promise<{ status: string; balance: number; kycLevel: KycLevel } | undefined> {
    const row = await selectOne<{ status: string; balance: string; kyc_level: KycLevel }>(
      m,
      'SELECT a.status, a.balance, u.kyc_level FROM accounts a JOIN users u ON u.id = a.owner_id WHERE a.id = ?',
      [accountId],
    );
    return row && { status: row.status, balance: toSafeInt(row.balance), kycLevel: row.kyc_level };
  }

  /** One row: the balance and the outflow counters (no sum over history on a request). */
  async wallet(m: Sql, accountId: string): Promise<WalletRow> {
    const row = await selectOne<UsedColumns & { balance: string; status: string; kyc_level: string }>(
      m,
      `SELECT a.balance, a.status, u.kyc_level, ${OUTFLOW_USED} FROM accounts a JOIN users u ON u.id = a.owner_id WHERE a.id = ?`,
      [accountId],
    );
    return {
      balance: toSafeInt(row!.balance),
      status: row!.status,
      kycLevel: row!.kyc_level as KycLevel,
      used: outflowUsed(row!),
    };
  }

  /** A legacy user without an imported account never held money there: 0, as the legacy app says. */
  async legacyBalance(m: Sql, legacyUserId: number): Promise<number> {
    const row = await selectOne<{ balance: string }>(
      m,
      `SELECT balance FROM accounts WHERE legacy_user_id = ?`,
      [legacyUserId],
    );
    return row ? toSafeInt(row.balance) : 0;
  }

  /**
   * Every user and merchant account with the sum of its postings and its counters' periods' outflows.
   * One statement, so a row and its postings are seen together; counters and postings share one
   * database instant (outflow-counters.ts): no window around midnight JST.
   */
  async againstAllPostings(m: Sql): Promise<(SumRow & CounterRow)[]> {
    return (await m.query(
      `SELECT a.id, a.balance, ${SUM_OF_POSTINGS} AS postings,
         a.outflow_day, ${outflowsOnDay('a.id', 'a.outflow_day_of')} AS day_postings,
         a.outflow_month, ${outflowsInMonth('a.id', 'a.outflow_month_of')} AS month_postings
       FROM accounts a WHERE a.kind <> 'system'`,
    )) as (SumRow & CounterRow)[];
  }

  async againstAllPostingsOf(m: Sql, accountIds: string[]): Promise<SumRow[]> {
    return (await m.query(
      `SELECT a.id, a.balance, ${SUM_OF_POSTINGS} AS postings
       FROM accounts a WHERE a.id IN (${placeholders(accountIds.length)})`,
      accountIds,
    )) as SumRow[];
  }

  /** User and merchant accounts whose postings in the entry range do not continue their chain. */
  async brokenChains(m: Sql, entryRange: number[]): Promise<{ id: string }[]> {
    return (await m.query(
      `SELECT DISTINCT p.account_id AS id FROM postings p
       JOIN accounts a ON a.id = p.account_id AND a.kind <> 'system'
       LEFT JOIN postings q ON q.account_id = p.account_id AND q.seq = p.seq - 1
       WHERE p.entry_id > ? AND p.entry_id <= ?
         AND (p.seq IS NULL OR NOT (p.balance_after <=> IF(p.seq = 1, 0, q.balance_after) + p.amount))`,
      entryRange,
    )) as { id: string }[];
  }

  /**
   * The accounts the entry range touched: their day counter against that day's postings, and
   * whether their balance is off their last posting's balance_after.
   */
  async touchedCounters(
    m: Sql,
    entryRange: number[],
  ): Promise<(CounterRow & { off_anchor: number | string })[]> {
    return (await m.query(
      `SELECT a.id, a.outflow_day, ${outflowsOnDay('a.id', 'a.outflow_day_of')} AS day_postings,
         NOT (a.balance <=> COALESCE((SELECT p.balance_after FROM postings p WHERE p.account_id = a.id AND p.seq = a.seq), 0)) AS off_anchor
       FROM accounts a WHERE ${TOUCHED}`,
      entryRange,
    )) as (CounterRow & { off_anchor: number | string })[];
  }

  /** User and merchant accounts (what a full reconciliation pass checks); one covering-index count, like `totals`' sum. */
  async countHeld(m: Sql): Promise<number> {
    const row = await selectOne<{ n: string }>(
      m,
      `SELECT COUNT(*) AS n FROM accounts WHERE kind <> 'system'`,
      [],
    );
    return toSafeInt(row!.n);
  }

  /** Σ user and merchant balances and, with `system`, Σ the system accounts' postings (one statement). */
  async totals(m: Sql, system: boolean) {
    return selectOne<{ balances: string | null; system: string | null }>(
      m,
      `SELECT (SELECT SUM(balance) FROM accounts WHERE kind <> 'system') AS balances,
              ${system ? `(SELECT SUM(p.amount) FROM postings p JOIN accounts a ON a.id = p.account_id WHERE a.kind = 'system')` : 'NULL'} AS system`,
      [],
    );
  }
}
