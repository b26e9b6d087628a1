import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module';
import { InboxFanout } from './inbox-fanout';
import { MessageSignals } from './message-signals';
import { LoggingNotifier, Notifier } from './notifier';

/** Getting a committed message to people: list order, live long-polls, push notifications. */
@Module({
  imports: [DevicesModule],
  providers: [InboxFanout, MessageSignals, { provide: Notifier, useClass: LoggingNotifier }],
  exports: [InboxFanout, MessageSignals],
})
export class DeliveryModule {}
