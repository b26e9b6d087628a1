import { Module } from '@nestjs/common';
import { LedgerHealthController } from './ledger-health.controller';
import { Reconciler } from './reconciler';

@Module({ controllers: [LedgerHealthController], providers: [Reconciler], exports: [Reconciler] })
export class ReconciliationModule {}
