import { Injectable } from '@nestjs/common';
import { AppError } from '@paychat/errors';
import { selectOne, toSafeInt } from '../db/rows';
import type { Sql } from '../db/sql';

interface SnapshotRow {
  balanced: number;
  created_at: Date;
  accounts_checked: number;
  total_balance: string;
  mismatches: string;
}

/** The reconciler's snapshots of the ledger. */
@Injectable()
export class LedgerSnapshotsRepository {
  async latest(m: Sql) {
    const row = await selectOne<SnapshotRow>(
      m,
      'SELECT balanced, created_at, accounts_checked, total_balance, mismatches FROM ledger_snapshots ORDER BY id DESC LIMIT 1',
      [],
    );
    if (!row) throw new AppError('not_found', 'No reconciliation has run yet');
    return {
      balanced: Boolean(row.balanced),
      asOf: new Date(row.created_at).toISOString(),
      accountsChecked: row.accounts_checked,
      totalBalance: toSafeInt(row.total_balance),
      mismatches: JSON.parse(row.mismatches) as unknown[],
    };
  }
}
