import { Module } from '@nestjs/common';
import { BlocksModule } from '../blocks/blocks.module';
import { ChatMessagesModule } from '../messages/chat-messages.module';
import { UsersModule } from '../users/users.module';
import { ConversationStoreModule } from './conversation-store.module';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';
import { MembersService } from './members.service';

/** Creating chats and changing their members (a member change is posted as a message). */
@Module({
  imports: [ConversationStoreModule, ChatMessagesModule, BlocksModule, UsersModule],
  controllers: [ConversationsController],
  providers: [ConversationsService, MembersService],
})
export class ConversationsModule {}
