import { Injectable } from '@nestjs/common';
import type { Sql } from '../db/sql';
import { changedRows, selectOne, toSafeInt } from '../db/rows';
import { isDuplicateKey } from '../db/sql-errors';
import { AlreadyApplied } from '../idempotency/idempotent-operation';
import { joinAccountOf } from '../ledger/accounts.repository';

/** The two operations that move money over the bank: same shape, same two-phase life. */
export type Rail = 'charges' | 'withdrawals';
export type RailStatus = 'pending' | 'completed' | 'failed';

export interface RailRow {
  id: string;
  userId: string;
  accountId: string;
  bankAccountId: string;
  amount: number;
  status: RailStatus;
  /** Why a failed operation failed: the bank's reason, or `limit_exceeded` (our refusal). */
  failureReason: string | null;
  /** The user's balance right after this operation's posting on their account, if any. */
  balanceAfter: number | null;
}

/**
 * A row nobody has heard back about for the given microseconds: what the recovery job asks the
 * bank about (stale) is what the metrics count as overdue (pendingSummary).
 */
const UNHEARD = 'updated_at < CURRENT_TIMESTAMP(3) - INTERVAL ? MICROSECOND';

/** A rail's operations waiting on the bank (pendingSummary). */
export interface PendingSummary {
  rail: Rail;
  pending: number;
  overdue: number;
  oldestAgeSeconds: number;
}

interface RawRow {
  id: string;
  initiator_id: string;
  account_id: string;
  bank_account_id: string;
  amount: string;
  status: RailStatus;
  failure_reason: string | null;
  balance_after: string | null;
}

const select = (rail: Rail, where: string) =>
  `SELECT r.id, r.initiator_id, a.id AS account_id, r.bank_account_id, r.amount, r.status, r.failure_reason,
     (SELECT p.balance_after FROM postings p WHERE p.op_id = r.id AND p.account_id = a.id ORDER BY p.seq LIMIT 1) AS balance_after
   FROM ${rail} r ${joinAccountOf('user', 'r.initiator_id')} WHERE ${where}`;

const toRow = (r: RawRow): RailRow => ({
  id: r.id,
  userId: r.initiator_id,
  accountId: String(r.account_id),
  bankAccountId: r.bank_account_id,
  amount: toSafeInt(r.amount),
  status: r.status,
  failureReason: r.failure_reason,
  balanceAfter: r.balance_after == null ? null : toSafeInt(r.balance_after),
});

/** The `charges` and `withdrawals` tables (no other file writes them). */
@Injectable()
export class RailRows {
  async insertPending(
    m: Sql,
    rail: Rail,
    row: { id: string; userId: string; key: string; bankAccountId: string; amount: number },
  ) {
    try {
      await m.query(
        `INSERT INTO ${rail} (id, initiator_id, idempotency_key, bank_account_id, amount, status) VALUES (?, ?, ?, ?, ?, 'pending')`,
        [row.id, row.userId, row.key, row.bankAccountId, row.amount],
      );
    } catch (err) {
      if (isDuplicateKey(err)) throw new AlreadyApplied();
      throw err;
    }
  }

  /** Moves a pending row to its final status; false if someone (the request or the recovery job) already did. */
  async finish(
    m: Sql,
    rail: Rail,
    id: string,
    status: 'completed' | 'failed',
    reason?: string,
  ): Promise<boolean> {
    const changed = await changedRows(
      m,
      `UPDATE ${rail} SET status = ?, failure_reason = ? WHERE id = ? AND status = 'pending'`,
      [status, reason ?? null, id],
    );
    return changed === 1;
  }

  /** A charge the bank approved but we may not credit: it fails, and the bank is owed a void. */
  async failOwingVoid(m: Sql, id: string): Promise<void> {
    await m.query(
      `UPDATE charges SET status = 'failed', failure_reason = 'limit_exceeded', void_status = 'owed' WHERE id = ?`,
      [id],
    );
  }

  /** Up to 100 charges whose void the bank has not confirmed yet (only `id`, if given). */
  async owedVoids(m: Sql, id?: string): Promise<string[]> {
    const rows = (await m.query(
      `SELECT id FROM charges WHERE void_status = 'owed'${id ? ' AND id = ?' : ''} LIMIT 100`,
      id ? [id] : [],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** The bank confirmed the void. */
  async voided(m: Sql, id: string): Promise<void> {
    await m.query(`UPDATE charges SET void_status = 'voided' WHERE id = ? AND void_status = 'owed'`, [id]);
  }

  async byId(m: Sql, rail: Rail, id: string): Promise<RailRow> {
    const row = await selectOne<RawRow>(m, select(rail, 'r.id = ?'), [id]);
    if (!row) throw new Error(`${rail} ${id} not found`);
    return toRow(row);
  }

  async byKey(m: Sql, rail: Rail, userId: string, key: string): Promise<RailRow | undefined> {
    const row = await selectOne<RawRow>(m, select(rail, 'r.initiator_id = ? AND r.idempotency_key = ?'), [
      userId,
      key,
    ]);
    return row && toRow(row);
  }

  /**
   * Per rail: its pending operations, those without news for `overdueAfterMs` (the recovery job's
   * threshold: their bank answer is overdue) and the age of the oldest, by the database's clock.
   */
  async pendingSummary(m: Sql, overdueAfterMs: number): Promise<PendingSummary[]> {
    const summary = (rail: Rail) =>
      `SELECT '${rail}' AS rail, COUNT(*) AS pending, COALESCE(SUM(${UNHEARD}), 0) AS overdue,
         TIMESTAMPDIFF(MICROSECOND, MIN(created_at), CURRENT_TIMESTAMP(3)) AS age_us
       FROM ${rail} WHERE status = 'pending'`;
    const rows = (await m.query(`${summary('charges')} UNION ALL ${summary('withdrawals')}`, [
      overdueAfterMs * 1000,
      overdueAfterMs * 1000,
    ])) as { rail: Rail; pending: string; overdue: string; age_us: string | null }[];
    return rows.map((r) => ({
      rail: r.rail,
      pending: toSafeInt(r.pending),
      overdue: toSafeInt(r.overdue),
      oldestAgeSeconds: Math.max(0, Number(r.age_us ?? 0) / 1e6),
    }));
  }

  /** Pending operations nobody has heard back about for a while: the recovery job's work list. */
  async stale(m: Sql, rail: Rail, olderThanMs: number, limit: number): Promise<string[]> {
    const rows = (await m.query(
      `SELECT id FROM ${rail} WHERE status = 'pending' AND ${UNHEARD} ORDER BY updated_at LIMIT ?`,
      [olderThanMs * 1000, limit],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }
}
