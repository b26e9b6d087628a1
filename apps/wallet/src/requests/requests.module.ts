import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { backgroundJob } from '../jobs/background-job';
import { JobsModule } from '../jobs/jobs.module';
import { LedgerModule } from '../ledger/ledger.module';
import { OutboxModule } from '../outbox/outbox.module';
import { TransfersModule } from '../transfers/transfers.module';
import { UsersModule } from '../users/users.module';
import { ChatRelations } from './chat-relations';
import { ListRequests } from './list-requests.usecase';
import { PaymentRequests } from './payment-requests';
import { RequestsController } from './requests.controller';
import { RequestsRepository } from './requests.repository';

@Module({
  imports: [TransfersModule, LedgerModule, IdempotencyModule, OutboxModule, JobsModule, UsersModule],
  controllers: [RequestsController],
  providers: [
    PaymentRequests,
    ListRequests,
    RequestsRepository,
    ChatRelations,
    backgroundJob('request-expiry', PaymentRequests, (requests, config) => ({
      everyMs: config.RECOVERY_INTERVAL_MS,
      run: () => requests.expireDue(),
    })),
  ],
})
export class RequestsModule {}
