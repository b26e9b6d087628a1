import { Module } from '@nestjs/common';
import { BankModule } from '../bank/bank.module';
import { LedgerModule } from '../ledger/ledger.module';
import { RailOperationsModule } from '../rails/rail-operations.module';
import { ChargeSettlement } from './charge-settlement';
import { ChargeVoids } from './charge-voids';
import { ChargeWallet } from './charge-wallet.usecase';
import { ChargesController } from './charges.controller';

/** Money in from the caller's bank account. */
@Module({
  imports: [RailOperationsModule, BankModule, LedgerModule],
  controllers: [ChargesController],
  providers: [ChargeWallet, ChargeSettlement, ChargeVoids],
  exports: [ChargeSettlement, ChargeVoids],
})
export class ChargesModule {}
