import { Controller, Get, Header } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AdminOnly } from '@paychat/auth';
import { AppError } from '@paychat/errors';
import { selectOne, toSafeInt } from '../db/rows';

interface SnapshotRow {
  balanced: number;
  created_at: Date;
  accounts_checked: number;
  total_balance: string;
  mismatches: string;
}

/** The latest reconciliation snapshot: read, never computed, on the request path. */
@Controller('admin/v2/ledger')
export class LedgerHealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('health')
  @AdminOnly()
  @Header('cache-control', 'no-store')
  async health() {
    const row = await selectOne<SnapshotRow>(
      this.dataSource.manager,
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
