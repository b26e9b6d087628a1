import { Module } from '@nestjs/common';
import { ConversationsRepository } from './conversations.repository';
import { Membership } from './membership';

/** The conversation items and who may read them: what messages, events and relations build on. */
@Module({
  providers: [ConversationsRepository, Membership],
  exports: [ConversationsRepository, Membership],
})
export class ConversationStoreModule {}
