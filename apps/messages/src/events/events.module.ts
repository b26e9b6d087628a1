import { Module } from '@nestjs/common';
import { ConversationStoreModule } from '../conversations/conversation-store.module';
import { ChatMessagesModule } from '../messages/chat-messages.module';
import { InternalGuard } from '@paychat/signing';
import { ChatEvents } from './chat-events.usecase';
import { DirectChatEvents } from './direct-chat-events';
import { EventMetrics } from './event-metrics';
import { EventsController } from './events.controller';
import { RequestStatus } from './request-status';

@Module({
  imports: [ConversationStoreModule, ChatMessagesModule],
  controllers: [EventsController],
  providers: [ChatEvents, DirectChatEvents, EventMetrics, RequestStatus, InternalGuard],
})
export class EventsModule {}
