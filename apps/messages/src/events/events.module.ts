import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module';
import { InternalGuard } from '@paychat/signing';
import { ChatEvents } from './chat-events.usecase';
import { EventsController } from './events.controller';

@Module({
  imports: [ConversationsModule],
  controllers: [EventsController],
  providers: [ChatEvents, InternalGuard],
})
export class EventsModule {}
