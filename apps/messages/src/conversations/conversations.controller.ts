import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PageQuery } from '@paychat/platform';
import { CurrentCaller } from '@paychat/auth';
import type { ChatCaller } from '../users/chat-caller';
import { ConversationsRepository } from './conversations.repository';
import { AddMembersDto, ConversationParams, CreateConversationDto } from './conversations.dto';
import { ConversationsService } from './conversations.service';
import { MembersService } from './members.service';

@Controller('v2/conversations')
export class ConversationsController {
  constructor(
    private readonly service: ConversationsService,
    private readonly members: MembersService,
    private readonly conversations: ConversationsRepository,
  ) {}

  @Post()
  async create(
    @CurrentCaller() user: ChatCaller,
    @Body() dto: CreateConversationDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const { created, view } = await this.service.create(user.userId, dto.memberIds, dto.title);
    res.status(created ? 201 : 200);
    return view;
  }

  @Get()
  list(@CurrentCaller() user: ChatCaller, @Query() q: PageQuery) {
    return this.conversations.list(user.userId, q.limit, q.cursor);
  }

  @Get(':id')
  get(@CurrentCaller() user: ChatCaller, @Param() p: ConversationParams) {
    return this.service.get(p.id, user.userId);
  }

  @Post(':id/members')
  @HttpCode(200)
  addMembers(@CurrentCaller() user: ChatCaller, @Param() p: ConversationParams, @Body() dto: AddMembersDto) {
    return this.members.add(p.id, user.userId, dto.memberIds);
  }

  @Post(':id/leave')
  @HttpCode(204)
  async leave(@CurrentCaller() user: ChatCaller, @Param() p: ConversationParams) {
    await this.members.leave(p.id, user.userId);
  }
}
