import { Module } from '@nestjs/common';
import { BlocksModule } from '../blocks/blocks.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { PairRelation } from './pair-relation';
import { RelationsController } from './relations.controller';

@Module({
  imports: [ConversationsModule, BlocksModule],
  controllers: [RelationsController],
  providers: [PairRelation],
})
export class RelationsModule {}
