import { Injectable } from '@nestjs/common';
import { selectOne, toSafeInt } from '../db/rows';
import type { Sql } from '../db/sql';
import type { Snapshot } from './reconciler';

interface SnapshotRow {
  kind: Snapshot['kind'];
  balanced: number;
  created_at: Date;
  accounts_checked: number;
  total_balance: string;
  mismatches: string;
}

/** One reconciliation run as the admin API shows it. */
export interface SnapshotView {
  kind: Snapshot['kind'];
  balanced: boolean;
  asOf: string;
  accountsChecked: number;
  totalBalance: number;
  mismatches: unknown[];
}

const toView = (row: SnapshotRow): SnapshotView => ({
  kind: row.kind,
  balanced: Boolean(row.balanced),
  asOf: new Date(row.created_at).toISOString(),
  accountsChecked: row.accounts_checked,
  totalBalance: toSafeInt(row.total_balance),
  mismatches: JSON.parse(row.mismatches) as unknown[],
});

/** The reconciler's snapshots of the ledger. */
@Injectable()
export class LedgerSnapshotsRepository {
  async record(m: Sql, snapshot: Snapshot): Promise<void> {
    await m.query(
      'INSERT INTO ledger_snapshots (kind, balanced, watermark_entry_id, accounts_checked, total_balance, mismatches) VALUES (?, ?, ?, ?, ?, ?)',
      [
        snapshot.kind,
        snapshot.balanced,
        snapshot.watermark,
        snapshot.accountsChecked,
        snapshot.totalBalance,
        JSON.stringify(snapshot.mismatches),
      ],
    );
  }

  /** The last entry any run has checked: the next incremental run starts after it. */
  async lastWatermark(m: Sql): Promise<number> {
    const row = await selectOne<{ w: string | null }>(
      m,
      'SELECT MAX(watermark_entry_id) AS w FROM ledger_snapshots',
      [],
    );
    return toSafeInt(row?.w ?? 0);
  }

  /** When the last full pass ran, if ever. */
  async lastFullPassAt(m: Sql): Promise<Date | undefined> {
    const row = await selectOne<{ at: Date | null }>(
      m,
      `SELECT MAX(created_at) AS at FROM ledger_snapshots WHERE kind = 'full'`,
      [],
    );
    return row?.at ? new Date(row.at) : undefined;
  }

  /** The latest snapshot (of `kind`, if given: ix_snapshots_kind), or undefined before the first. */
  async latest(m: Sql, kind?: Snapshot['kind']): Promise<SnapshotView | undefined> {
    const row = await selectOne<SnapshotRow>(
      m,
      `SELECT kind, balanced, created_at, accounts_checked, total_balance, mismatches FROM ledger_snapshots
       ${kind ? 'WHERE kind = ?' : ''} ORDER BY id DESC LIMIT 1`,
      kind ? [kind] : [],
    );
    return row && toView(row);
  }
}
