import { Module } from '@nestjs/common';
import { backgroundJob } from '../jobs/background-job';
import { JobsModule } from '../jobs/jobs.module';
import { Outbox } from './outbox';
import { OutboxDelivery } from './outbox-delivery';
import { OutboxDispatcher } from './outbox-dispatcher';
import { OutboxMetrics } from './outbox-metrics';
import { HttpOutboxPublisher, OutboxPublisher } from './outbox-publisher';
import { OutboxRelay } from './outbox.relay';
import { OutboxRepository } from './outbox.repository';

/** Events written with the money, and the relay that delivers them to the messages service. */
@Module({
  imports: [JobsModule],
  providers: [
    Outbox,
    OutboxRepository,
    OutboxDelivery,
    OutboxDispatcher,
    OutboxMetrics,
    OutboxRelay,
    { provide: OutboxPublisher, useClass: HttpOutboxPublisher },
    backgroundJob('outbox-relay', OutboxRelay, (relay, config) => ({
      everyMs: config.OUTBOX_RELAY_INTERVAL_MS,
      run: () => relay.runOnce(),
    })),
  ],
  exports: [Outbox, OutboxRelay, OutboxRepository],
})
export class OutboxModule {}
