import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module';
import { InternalGuard } from '@paychat/signing';
import { ChatEvents } from './chat-events.usecase';
import { DirectChatEvents } from './direct-chat-events';
import { EventsController } from './events.controller';
import { RequestStatus } from './request-status';

@Module({
  imports: [ConversationsModule],
  controllers: [EventsController],
  providers: [ChatEvents, DirectChatEvents, RequestStatus, InternalGuard],
})
export class EventsModule {}
