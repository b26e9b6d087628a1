import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Readiness } from '@paychat/platform';
import { ConversationParams } from '../conversations/conversations.dto';
import { CurrentCaller } from '@paychat/auth';
import type { ChatCaller } from '../users/chat-caller';
import { History } from './history';
import { HistoryQuery, ReadDto, SendMessageDto } from './messages.dto';
import { ReadPointers } from './read-pointers';
import { SendMessage } from './send-message.usecase';

@Controller('v2/conversations/:id')
export class MessagesController {
  constructor(
    private readonly sendMessage: SendMessage,
    private readonly history: History,
    private readonly pointers: ReadPointers,
    private readonly readiness: Readiness,
  ) {}

  @Post('messages')
  async send(
    @CurrentCaller() user: ChatCaller,
    @Param() p: ConversationParams,
    @Body() dto: SendMessageDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const { created, message } = await this.sendMessage.execute(
      p.id,
      user.userId,
      dto.clientMessageId,
      dto.text,
    );
    res.status(created ? 201 : 200);
    return message;
  }

  /**
   * A long-poll ends early when the client goes away, or with what it has (usually an empty page)
   * when the app begins stopping: the client polls again, on an instance that is staying.
   */
  @Get('messages')
  list(
    @CurrentCaller() user: ChatCaller,
    @Param() p: ConversationParams,
    @Query() q: HistoryQuery,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const ended = new AbortController();
    const end = () => ended.abort();
    const { stopping } = this.readiness;
    if (stopping.aborted) end();
    else stopping.addEventListener('abort', end, { once: true });
    res.raw.once('close', () => {
      stopping.removeEventListener('abort', end);
      end();
    });
    return this.history.read(p.id, user.userId, q, ended.signal);
  }

  @Post('read')
  @HttpCode(204)
  async read(@CurrentCaller() user: ChatCaller, @Param() p: ConversationParams, @Body() dto: ReadDto) {
    await this.pointers.markRead(p.id, user.userId, dto.messageId);
  }
}
