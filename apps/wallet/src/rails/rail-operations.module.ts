import { Module } from '@nestjs/common';
import { BankAccountsModule } from '../bank-accounts/bank-accounts.module';
import { BankModule } from '../bank/bank.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { RailRows } from './rail-rows';
import { StartRailOperation } from './start-rail-operation';

/** What charges and withdrawals share: their rows, and starting an operation over the bank. */
@Module({
  imports: [BankModule, BankAccountsModule, IdempotencyModule],
  providers: [RailRows, StartRailOperation],
  exports: [RailRows, StartRailOperation],
})
export class RailOperationsModule {}
