import { Module } from '@nestjs/common';
import { Limits } from '../limits/limits';
import { AccountsRepository } from './accounts.repository';
import { Ledger } from './ledger';
import { SystemAccounts } from './system-accounts';

@Module({
  providers: [Ledger, SystemAccounts, Limits, AccountsRepository],
  exports: [Ledger, SystemAccounts, Limits, AccountsRepository],
})
export class LedgerModule {}
