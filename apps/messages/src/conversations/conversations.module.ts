import { Module } from '@nestjs/common';
import { BlocksModule } from '../blocks/blocks.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { History } from '../messages/history';
import { MessageBatch } from '../messages/message-batch';
import { MessageLog } from '../messages/message-log';
import { MessagesController } from '../messages/messages.controller';
import { ReadPointers } from '../messages/read-pointers';
import { SendMessage } from '../messages/send-message.usecase';
import { ConversationsController } from './conversations.controller';
import { ConversationsRepository } from './conversations.repository';
import { ConversationsService } from './conversations.service';
import { MembersService } from './members.service';
import { Membership } from './membership';

/** Chats and their messages: one module, since every message write is a conversation write. */
@Module({
  imports: [DeliveryModule, BlocksModule],
  controllers: [ConversationsController, MessagesController],
  providers: [
    ConversationsRepository,
    ConversationsService,
    MembersService,
    Membership,
    MessageLog,
    MessageBatch,
    SendMessage,
    History,
    ReadPointers,
  ],
  exports: [ConversationsRepository, MessageLog, MessageBatch],
})
export class ConversationsModule {}
