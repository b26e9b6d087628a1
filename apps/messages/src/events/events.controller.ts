import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { Public } from '@paychat/platform';
import { InternalCallers, InternalGuard } from '@paychat/signing';
import { ChatEvents } from './chat-events.usecase';
import { ChatEventDto } from './events.dto';

/** Service-to-service only (a signed call; never routed by the gateway): the wallet's outbox relay. */
@Public()
@UseGuards(InternalGuard)
@InternalCallers('wallet')
@Controller('internal/events')
export class EventsController {
  constructor(private readonly events: ChatEvents) {}

  @Post()
  @HttpCode(200)
  apply(@Body() event: ChatEventDto) {
    return this.events.apply(event);
  }
}
