import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@paychat/errors';
import { AccountsRepository } from '../ledger/accounts.repository';
import { LedgerSnapshotsRepository } from './ledger-snapshots.repository';

/**
 * The latest reconciliation snapshot, read, never computed, on the request path — with the latest
 * full pass beside it (an incremental run checks only the accounts it saw move) and how many
 * accounts there are, so "every account checked" can be seen.
 */
@Injectable()
export class LedgerHealth {
  constructor(
    private readonly dataSource: DataSource,
    private readonly snapshots: LedgerSnapshotsRepository,
    private readonly accounts: AccountsRepository,
  ) {}

  async execute() {
    const m = this.dataSource.manager;
    const [latest, lastFullPass, accountsTotal] = await Promise.all([
      this.snapshots.latest(m),
      this.snapshots.latest(m, 'full'),
      this.accounts.countHeld(m),
    ]);
    if (!latest) throw new AppError('not_found', 'No reconciliation has run yet');
    return { ...latest, lastFullPass: lastFullPass ?? null, accountsTotal };
  }
}
