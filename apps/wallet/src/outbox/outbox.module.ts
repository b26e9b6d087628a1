import { Global, Module } from '@nestjs/common';
import { Outbox } from './outbox';
import { HttpOutboxPublisher, OutboxPublisher } from './outbox-publisher';
import { OutboxRelay } from './outbox.relay';

@Global()
@Module({
  providers: [Outbox, OutboxRelay, { provide: OutboxPublisher, useClass: HttpOutboxPublisher }],
  exports: [Outbox, OutboxRelay],
})
export class OutboxModule {}
