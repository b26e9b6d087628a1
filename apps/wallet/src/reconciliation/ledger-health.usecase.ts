import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LedgerSnapshotsRepository } from './ledger-snapshots.repository';

/** The latest reconciliation snapshot: read, never computed, on the request path. */
@Injectable()
export class LedgerHealth {
  constructor(
    private readonly dataSource: DataSource,
    private readonly snapshots: LedgerSnapshotsRepository,
  ) {}

  execute() {
    return this.snapshots.latest(this.dataSource.manager);
  }
}
