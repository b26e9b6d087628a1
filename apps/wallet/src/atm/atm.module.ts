import { Module } from '@nestjs/common';
import { InternalGuard } from '@paychat/signing';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { backgroundJob } from '../jobs/background-job';
import { JobsModule } from '../jobs/jobs.module';
import { LedgerModule } from '../ledger/ledger.module';
import { AtmController, AtmNetworkController } from './atm.controller';
import { AtmSessions } from './atm-sessions';
import { AtmSessionsRepository } from './atm-sessions.repository';

@Module({
  imports: [LedgerModule, IdempotencyModule, JobsModule],
  controllers: [AtmController, AtmNetworkController],
  providers: [
    AtmSessions,
    AtmSessionsRepository,
    InternalGuard,
    backgroundJob('atm-expiry', AtmSessions, (sessions, config) => ({
      everyMs: config.RECOVERY_INTERVAL_MS,
      run: () => sessions.expireDue(),
    })),
  ],
})
export class AtmModule {}
