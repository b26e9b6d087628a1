import { Global, Module } from '@nestjs/common';
import { Outbox } from './outbox';
import { OutboxDelivery } from './outbox-delivery';
import { OutboxDispatcher } from './outbox-dispatcher';
import { HttpOutboxPublisher, OutboxPublisher } from './outbox-publisher';
import { OutboxRelay } from './outbox.relay';

@Global()
@Module({
  providers: [
    Outbox,
    OutboxDelivery,
    OutboxDispatcher,
    OutboxRelay,
    { provide: OutboxPublisher, useClass: HttpOutboxPublisher },
  ],
  exports: [Outbox, OutboxRelay],
})
export class OutboxModule {}
