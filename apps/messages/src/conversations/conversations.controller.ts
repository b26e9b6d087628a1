import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { type AuthUser, CurrentUser } from '@paychat/auth';
import {
  ConversationParams,
  CreateConversationDto,
  HistoryQuery,
  ListConversationsQuery,
  ReadDto,
  SendMessageDto,
} from './conversations.dto';
import { ConversationsStore } from './conversations.store';

/** The caller's id in messages is the Cognito `sub` for now (see README: identities). */
@Controller('v2/conversations')
export class ConversationsController {
  constructor(private readonly store: ConversationsStore) {}

  @Post()
  async create(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateConversationDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const { created, view } = await this.store.create(user.sub, dto.memberIds, dto.title);
    res.status(created ? 201 : 200);
    return view;
  }

  @Get()
  list(@CurrentUser() user: AuthUser, @Query() q: ListConversationsQuery) {
    return this.store.list(user.sub, q.limit, q.cursor);
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param() p: ConversationParams) {
    return this.store.get(p.id, user.sub);
  }

  @Post(':id/messages')
  async send(
    @CurrentUser() user: AuthUser,
    @Param() p: ConversationParams,
    @Body() dto: SendMessageDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const { created, message } = await this.store.send(p.id, user.sub, dto.clientMessageId, dto.text);
    res.status(created ? 201 : 200);
    return message;
  }

  @Get(':id/messages')
  history(@CurrentUser() user: AuthUser, @Param() p: ConversationParams, @Query() q: HistoryQuery) {
    return this.store.history(p.id, user.sub, q);
  }

  @Post(':id/read')
  @HttpCode(204)
  async read(@CurrentUser() user: AuthUser, @Param() p: ConversationParams, @Body() dto: ReadDto) {
    await this.store.markRead(p.id, user.sub, dto.messageId);
  }
}
