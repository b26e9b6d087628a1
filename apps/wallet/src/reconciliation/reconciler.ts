import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { selectOne, toSafeInt } from '../db/rows';
import { AccountsRepository, type CounterRow, type SumRow } from '../ledger/accounts.repository';
import { LedgerSnapshotsRepository } from './ledger-snapshots.repository';
import { ReconciliationMetrics } from './reconciliation-metrics';

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

const countersOff = (a: CounterRow): Mismatch[] =>
  (
    [
      ['day', a.outflow_day, a.day_postings],
      ['month', a.outflow_month, a.month_postings],
    ] as const
  )
    .filter(([, counter, postings]) => counter !== undefined && toSafeInt(counter) !== toSafeInt(postings!))
    .map(([period, counter, postings]) => ({
      kind: 'outflow_counter_off',
      accountId: String(a.id),
      period,
      counter: toSafeInt(counter!),
      postings: toSafeInt(postings!),
    }));

interface AccountCheck {
  checked: number;
  offPostings: Mismatch[];
  counters: CounterRow[];
}

const offPostings = (rows: SumRow[]): Mismatch[] =>
  rows
    .filter((a) => toSafeInt(a.balance) !== toSafeInt(a.postings))
    .map((a) => ({
      kind: 'account_off_postings',
      accountId: String(a.id),
      balance: toSafeInt(a.balance),
      postings: toSafeInt(a.postings),
    }));

/**
 * Continuous reconciliation of the double-entry ledger. Incremental, every minute, at a cost that follows the
 * new entries and not the accounts' history: every entry past the watermark sums to zero; each new
 * posting of a user or merchant continues its account's chain (balance_after = the previous one's +
 * amount, seq without gaps) and every touched account's balance is its last posting's balance_after
 * — only an account failing either is summed over its whole history, to report by how much; its
 * day's outflow counter equals that day's outflow postings. Full (nightly, JST): every account
 * against the sum of all its postings, both counters against their periods, and conservation —
 * Σ(user + merchant balances) = −Σ(system postings). Each run stores a snapshot; the admin API
 * reads the latest one.
 */
@Injectable()
export class Reconciler {
  private readonly logger = new Logger(Reconciler.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly snapshots: LedgerSnapshotsRepository,
    private readonly accounts: AccountsRepository,
    private readonly metrics: ReconciliationMetrics,
  ) {}

  async run(kind: Snapshot['kind']): Promise<Snapshot> {
    const db = this.dataSource.manager;
    const from = kind === 'full' ? 0 : await this.snapshots.lastWatermark(db);
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
    const accounts = kind === 'full' ? await this.allAccounts() : await this.touchedAccounts(range);
    const mismatches: Mismatch[] = [
      ...unbalanced.map((r) => ({
        kind: 'entry_unbalanced' as const,
        entryId: toSafeInt(r.entry_id),
        sum: toSafeInt(r.s),
      })),
      ...accounts.offPostings.slice(0, MAX_LISTED),
      ...accounts.counters.flatMap(countersOff).slice(0, MAX_LISTED),
    ];
    // The system side is the sum of all their postings: only the full pass needs it.
    const totals = await this.accounts.totals(db, kind === 'full');
    const totalBalance = toSafeInt(totals?.balances ?? 0);
    if (kind === 'full' && totalBalance + toSafeInt(totals?.system ?? 0) !== 0) {
      mismatches.push({ kind: 'conservation', gap: totalBalance + toSafeInt(totals?.system ?? 0) });
    }
    const snapshot: Snapshot = {
      kind,
      balanced: mismatches.length === 0,
      watermark: range[1],
      accountsChecked: accounts.checked,
      totalBalance,
      mismatches,
    };
    await this.snapshots.record(db, snapshot);
    this.metrics.passFinished(mismatches.length);
    if (kind === 'full') this.metrics.fullPassAt(new Date());
    if (!snapshot.balanced)
      this.logger.error({ event: 'ledger_unbalanced', kind, mismatches }, 'ledger_unbalanced');
    return snapshot;
  }

  /** Every user and merchant account against all its postings and both counters against their stamped periods. */
  private async allAccounts(): Promise<AccountCheck> {
    const rows = await this.accounts.againstAllPostings(this.dataSource);
    return { checked: rows.length, offPostings: offPostings(rows), counters: rows };
  }

  /** The accounts the new entries touched, at the cost of those entries (see the class comment). */
  private async touchedAccounts(range: number[]): Promise<AccountCheck> {
    const db = this.dataSource;
    const brokenChains = await this.accounts.brokenChains(db, range);
    const counters = await this.accounts.touchedCounters(db, range);
    const suspects = [
      ...new Set([
        ...brokenChains.map((r) => String(r.id)),
        ...counters.filter((r) => Number(r.off_anchor) === 1).map((r) => String(r.id)),
      ]),
    ];
    const sums = suspects.length ? await this.accounts.againstAllPostingsOf(db, suspects) : [];
    return { checked: counters.length, offPostings: offPostings(sums), counters };
  }

  /** Whether the nightly full pass for the current JST day has not run yet. */
  async fullPassDue(dayStartJst: Date): Promise<boolean> {
    const last = await this.snapshots.lastFullPassAt(this.dataSource.manager);
    if (last) this.metrics.fullPassAt(last);
    return !last || last < dayStartJst;
  }
}
