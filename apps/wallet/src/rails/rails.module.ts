import { Module } from '@nestjs/common';
import { BankModule } from '../bank/bank.module';
import { ChargesModule } from '../charges/charges.module';
import { backgroundJob } from '../jobs/background-job';
import { JobsModule } from '../jobs/jobs.module';
import { WithdrawalsModule } from '../withdrawals/withdrawals.module';
import { RailMetrics } from './rail-metrics';
import { RailOperationsModule } from './rail-operations.module';
import { RecoveryJob } from './recovery.job';

/** The bank rails: charges, withdrawals, and the recovery of those whose bank answer never came. */
@Module({
  imports: [ChargesModule, WithdrawalsModule, RailOperationsModule, BankModule, JobsModule],
  providers: [
    RecoveryJob,
    RailMetrics,
    backgroundJob('bank-recovery', RecoveryJob, (recovery, config) => ({
      everyMs: config.RECOVERY_INTERVAL_MS,
      run: () => recovery.runOnce(),
    })),
  ],
})
export class RailsModule {}
