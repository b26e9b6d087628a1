import { Module } from '@nestjs/common';
import { backgroundJob } from '../jobs/background-job';
import { JobsModule } from '../jobs/jobs.module';
import { LedgerModule } from '../ledger/ledger.module';
import { jstPeriods } from '../limits/kyc-limits';
import { LedgerHealthController } from './ledger-health.controller';
import { LedgerHealth } from './ledger-health.usecase';
import { LedgerSnapshotsRepository } from './ledger-snapshots.repository';
import { Reconciler } from './reconciler';
import { ReconciliationMetrics } from './reconciliation-metrics';

@Module({
  imports: [LedgerModule, JobsModule],
  controllers: [LedgerHealthController],
  providers: [
    Reconciler,
    ReconciliationMetrics,
    LedgerHealth,
    LedgerSnapshotsRepository,
    // Incremental every interval; the first run of each JST day is the full nightly pass.
    backgroundJob('reconciliation', Reconciler, (reconciler, config) => ({
      everyMs: config.RECONCILE_INTERVAL_MS,
      run: async () => {
        const full = await reconciler.fullPassDue(jstPeriods(new Date()).dayStart);
        await reconciler.run(full ? 'full' : 'incremental');
      },
    })),
  ],
})
export class ReconciliationModule {}
