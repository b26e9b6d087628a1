import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import type { ChatEventBatchResult } from '@paychat/contracts';
import { Public } from '@paychat/platform';
import { InternalCallers, InternalGuard } from '@paychat/signing';
import { ChatEvents } from './chat-events.usecase';
import { ChatEventBatchDto } from './events.dto';

/** Service-to-service only (a signed call; never routed by the gateway): the wallet's outbox relay. */
@Public()
@UseGuards(InternalGuard)
@InternalCallers('wallet')
@Controller('internal/events')
export class EventsController {
  constructor(private readonly events: ChatEvents) {}

  /** One result per event, in request order (200 even when some are `rejected` or `failed`). */
  @Post('batch')
  @HttpCode(200)
  applyBatch(@Body() batch: ChatEventBatchDto): Promise<ChatEventBatchResult> {
    return this.events.applyBatch(batch.events);
  }
}
