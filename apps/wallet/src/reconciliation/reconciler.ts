import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { selectOne, toSafeInt } from '../db/rows';
import { outflowsInMonth, outflowsOnDay } from '../limits/outflow-counters';

export type Mismatch =
  | { kind: 'entry_unbalanced'; entryId: number; sum: number }
  | { kind: 'account_off_postings'; accountId: string; balance: number; postings: number }
  | {
      kind: 'outflow_counter_off';
      accountId: string;
      period: 'day' | 'month';
      counter: number;
      postings: number;
    }
  | { kind: 'conservation'; gap: number };

export interface Snapshot {
  kind: 'incremental' | 'full';
  balanced: boolean;
  watermark: number;
  accountsChecked: number;
  totalBalance: number;
  mismatches: Mismatch[];
}

/** Entries younger than this may still have lower-numbered siblings committing: not yet checked. */
const SETTLE_SECONDS = 5;
const MAX_LISTED = 100;

interface AccountRow {
  id: string;
  balance: string;
  postings: string;
  outflow_day: string;
  day_postings: string;
  outflow_month: string;
  month_postings: string;
}

const countersOff = (a: AccountRow): Mismatch[] =>
  (
    [
      ['day', a.outflow_day, a.day_postings],
      ['month', a.outflow_month, a.month_postings],
    ] as const
  )
    .filter(([, counter, postings]) => toSafeInt(counter) !== toSafeInt(postings))
    .map(([period, counter, postings]) => ({
      kind: 'outflow_counter_off',
      accountId: String(a.id),
      period,
      counter: toSafeInt(counter),
      postings: toSafeInt(postings),
    }));

/**
 * Continuous reconciliation (DESIGN.md §7). Incremental: every entry past the watermark sums to
 * zero and every account they touched equals the sum of its postings, and its outflow counters the
 * sum of their stamped JST day's and month's outflow postings. Full (nightly, JST): the
 * same over everything, plus conservation — Σ(user + merchant balances) = −Σ(system postings).
 * Each run stores a snapshot; the admin API only ever reads the latest one.
 */
@Injectable()
export class Reconciler {
  private readonly logger = new Logger(Reconciler.name);

  constructor(private readonly dataSource: DataSource) {}

  async run(kind: Snapshot['kind']): Promise<Snapshot> {
    const db = this.dataSource.manager;
    const from = kind === 'full' ? 0 : await this.lastWatermark();
    const upTo = toSafeInt(
      (
        await selectOne<{ id: string | null }>(
          db,
          `SELECT MAX(id) AS id FROM journal_entries WHERE created_at < CURRENT_TIMESTAMP(3) - INTERVAL ${SETTLE_SECONDS} SECOND`,
          [],
        )
      )?.id ?? from,
    );
    const range = [from, Math.max(from, upTo)];
    const unbalanced = (await db.query(
      `SELECT entry_id, SUM(amount) AS s FROM postings WHERE entry_id > ? AND entry_id <= ? GROUP BY entry_id HAVING SUM(amount) <> 0 LIMIT ${MAX_LISTED}`,
      range,
    )) as { entry_id: string; s: string }[];
    const touched =
      kind === 'full'
        ? `a.kind <> 'system'`
        : `a.id IN (SELECT account_id FROM postings WHERE entry_id > ? AND entry_id <= ?) AND a.kind <> 'system'`;
    // One statement, one snapshot: a row and its postings are seen together. The counters' periods
    // and the postings' created_at come from one database instant (outflow-counters.ts), so a
    // counter compared with its own stamped period needs no window around midnight JST.
    const accounts = (await db.query(
      `SELECT a.id, a.balance, COALESCE((SELECT SUM(p.amount) FROM postings p WHERE p.account_id = a.id), 0) AS postings,
         a.outflow_day, ${outflowsOnDay('a.id', 'a.outflow_day_of')} AS day_postings,
         a.outflow_month, ${outflowsInMonth('a.id', 'a.outflow_month_of')} AS month_postings
       FROM accounts a WHERE ${touched}`,
      kind === 'full' ? [] : range,
    )) as AccountRow[];
    const mismatches: Mismatch[] = [
      ...unbalanced.map((r) => ({
        kind: 'entry_unbalanced' as const,
        entryId: toSafeInt(r.entry_id),
        sum: toSafeInt(r.s),
      })),
      ...accounts
        .filter((a) => toSafeInt(a.balance) !== toSafeInt(a.postings))
        .slice(0, MAX_LISTED)
        .map((a) => ({
          kind: 'account_off_postings' as const,
          accountId: String(a.id),
          balance: toSafeInt(a.balance),
          postings: toSafeInt(a.postings),
        })),
      ...accounts.flatMap(countersOff).slice(0, MAX_LISTED),
    ];
    const totals = await selectOne<{ balances: string | null; system: string | null }>(
      db,
      `SELECT (SELECT SUM(balance) FROM accounts WHERE kind <> 'system') AS balances,
              (SELECT SUM(p.amount) FROM postings p JOIN accounts a ON a.id = p.account_id WHERE a.kind = 'system') AS system`,
      [],
    );
    const totalBalance = toSafeInt(totals?.balances ?? 0);
    if (kind === 'full' && totalBalance + toSafeInt(totals?.system ?? 0) !== 0) {
      mismatches.push({ kind: 'conservation', gap: totalBalance + toSafeInt(totals?.system ?? 0) });
    }
    const snapshot: Snapshot = {
      kind,
      balanced: mismatches.length === 0,
      watermark: range[1],
      accountsChecked: accounts.length,
      totalBalance,
      mismatches,
    };
    await db.query(
      'INSERT INTO ledger_snapshots (kind, balanced, watermark_entry_id, accounts_checked, total_balance, mismatches) VALUES (?, ?, ?, ?, ?, ?)',
      [
        kind,
        snapshot.balanced,
        snapshot.watermark,
        snapshot.accountsChecked,
        totalBalance,
        JSON.stringify(mismatches),
      ],
    );
    if (!snapshot.balanced)
      this.logger.error({ event: 'ledger_unbalanced', kind, mismatches }, 'ledger_unbalanced');
    return snapshot;
  }

  /** Whether the nightly full pass for the current JST day has not run yet. */
  async fullPassDue(dayStartJst: Date): Promise<boolean> {
    const last = await selectOne<{ at: Date | null }>(
      this.dataSource.manager,
      `SELECT MAX(created_at) AS at FROM ledger_snapshots WHERE kind = 'full'`,
      [],
    );
    return !last?.at || new Date(last.at) < dayStartJst;
  }

  private async lastWatermark(): Promise<number> {
    const row = await selectOne<{ w: string | null }>(
      this.dataSource.manager,
      'SELECT MAX(watermark_entry_id) AS w FROM ledger_snapshots',
      [],
    );
    return toSafeInt(row?.w ?? 0);
  }
}
