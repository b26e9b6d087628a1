import { Module } from '@nestjs/common';
import { Limits } from '../limits/limits';
import { AccountsRepository } from './accounts.repository';
import { Ledger } from './ledger';
import { MoneyMetrics } from './money-metrics';
import { SystemAccounts } from './system-accounts';

@Module({
  providers: [Ledger, SystemAccounts, Limits, AccountsRepository, MoneyMetrics],
  exports: [Ledger, SystemAccounts, Limits, AccountsRepository, MoneyMetrics],
})
export class LedgerModule {}
