import { Module } from '@nestjs/common';
import { LedgerHealthController } from './ledger-health.controller';
import { LedgerHealth } from './ledger-health.usecase';
import { LedgerSnapshotsRepository } from './ledger-snapshots.repository';
import { Reconciler } from './reconciler';

@Module({
  controllers: [LedgerHealthController],
  providers: [Reconciler, LedgerHealth, LedgerSnapshotsRepository],
  exports: [Reconciler],
})
export class ReconciliationModule {}
