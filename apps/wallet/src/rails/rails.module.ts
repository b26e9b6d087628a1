import { Module } from '@nestjs/common';
import { ChargeSettlement } from '../charges/charge-settlement';
import { ChargeVoids } from '../charges/charge-voids';
import { ChargeWallet } from '../charges/charge-wallet.usecase';
import { WithdrawalSettlement } from '../withdrawals/withdrawal-settlement';
import { Withdraw } from '../withdrawals/withdraw.usecase';
import { RailRows } from './rail-rows';
import { RailsController } from './rails.controller';
import { RecoveryJob } from './recovery.job';
import { StartRailOperation } from './start-rail-operation';

/** Charges and withdrawals: the operations that go over the bank, and their recovery job. */
@Module({
  controllers: [RailsController],
  providers: [
    RailRows,
    StartRailOperation,
    ChargeSettlement,
    ChargeVoids,
    WithdrawalSettlement,
    ChargeWallet,
    Withdraw,
    RecoveryJob,
  ],
  exports: [RecoveryJob],
})
export class RailsModule {}
