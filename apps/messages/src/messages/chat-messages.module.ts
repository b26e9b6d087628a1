import { Module } from '@nestjs/common';
import { BlocksModule } from '../blocks/blocks.module';
import { ConversationStoreModule } from '../conversations/conversation-store.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { History } from './history';
import { MessageBatch } from './message-batch';
import { MessageLog } from './message-log';
import { MessagesController } from './messages.controller';
import { ReadPointers } from './read-pointers';
import { SendMessage } from './send-message.usecase';

/** A conversation's messages: sending, the history and its long-poll, read pointers. */
@Module({
  imports: [ConversationStoreModule, DeliveryModule, BlocksModule],
  controllers: [MessagesController],
  providers: [MessageLog, MessageBatch, SendMessage, History, ReadPointers],
  exports: [MessageLog, MessageBatch],
})
export class ChatMessagesModule {}
