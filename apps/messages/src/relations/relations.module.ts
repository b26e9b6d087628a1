import { Module } from '@nestjs/common';
import { BlocksModule } from '../blocks/blocks.module';
import { ConversationStoreModule } from '../conversations/conversation-store.module';
import { PairRelation } from './pair-relation';
import { RelationsController } from './relations.controller';

@Module({
  imports: [ConversationStoreModule, BlocksModule],
  controllers: [RelationsController],
  providers: [PairRelation],
})
export class RelationsModule {}
