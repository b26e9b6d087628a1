import { Module } from '@nestjs/common';
import { BlocksController } from './blocks.controller';
import { BlocksRepository } from './blocks.repository';

@Module({
  controllers: [BlocksController],
  providers: [BlocksRepository],
  exports: [BlocksRepository],
})
export class BlocksModule {}
