import { Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { PageQuery } from '@paychat/platform';
import { CurrentCaller } from '@paychat/auth';
import type { ChatCaller } from '../users/chat-caller';
import { BlockParams } from './blocks.dto';
import { BlocksRepository } from './blocks.repository';

/**
 * My blocks. Private to the blocker and idempotent; any user id may be blocked (nothing to look
 * up, and a block of someone who later signs up or is re-enabled still holds).
 */
@Controller('v2/blocks')
export class BlocksController {
  constructor(private readonly blocks: BlocksRepository) {}

  @Get()
  list(@CurrentCaller() user: ChatCaller, @Query() q: PageQuery) {
    return this.blocks.list(user.userId, q.limit, q.cursor);
  }

  @Put(':userId')
  @HttpCode(204)
  async block(@CurrentCaller() user: ChatCaller, @Param() p: BlockParams) {
    await this.blocks.block(user.userId, p.userId);
  }

  @Delete(':userId')
  @HttpCode(204)
  async unblock(@CurrentCaller() user: ChatCaller, @Param() p: BlockParams) {
    await this.blocks.unblock(user.userId, p.userId);
  }
}
