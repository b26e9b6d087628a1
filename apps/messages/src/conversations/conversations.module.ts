import { Module } from '@nestjs/common';
import { ConversationsController } from './conversations.controller';
import { ConversationsStore } from './conversations.store';
import { InboxFanout } from './inbox-fanout';

@Module({
  controllers: [ConversationsController],
  providers: [ConversationsStore, InboxFanout],
  exports: [ConversationsStore, InboxFanout],
})
export class ConversationsModule {}
