import { Module } from '@nestjs/common';
import { BankModule } from '../bank/bank.module';
import { LedgerModule } from '../ledger/ledger.module';
import { RailOperationsModule } from '../rails/rail-operations.module';
import { WithdrawalSettlement } from './withdrawal-settlement';
import { Withdraw } from './withdraw.usecase';
import { WithdrawalsController } from './withdrawals.controller';

/** Money out to the caller's bank account. */
@Module({
  imports: [RailOperationsModule, BankModule, LedgerModule],
  controllers: [WithdrawalsController],
  providers: [Withdraw, WithdrawalSettlement],
  exports: [WithdrawalSettlement],
})
export class WithdrawalsModule {}
