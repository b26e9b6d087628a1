import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { AdminOnly } from '@paychat/auth';
import { PageQuery } from '@paychat/platform';
import { OutboxEventParams, ReasonDto } from './admin.dto';
import { Admin, type AdminContext } from './audit';
import { ListRejectedEvents } from './list-rejected-events.usecase';
import { OutboxIntervention } from './outbox-intervention';
import { OutboxStatus } from './outbox-status.usecase';

/** The event pipeline to the chat (the outbox): how it keeps up, and what the consumer refused. */
@AdminOnly()
@Controller('admin/v2/outbox')
export class AdminOutboxController {
  constructor(
    private readonly status: OutboxStatus,
    private readonly rejected: ListRejectedEvents,
    private readonly intervention: OutboxIntervention,
  ) {}

  @Get()
  @Header('cache-control', 'no-store')
  summary() {
    return this.status.execute();
  }

  @Get('rejected')
  @Header('cache-control', 'no-store')
  listRejected(@Query() page: PageQuery) {
    return this.rejected.execute(page);
  }

  @Post('events/:id/retry')
  @HttpCode(200)
  retry(@Admin() who: AdminContext, @Param() p: OutboxEventParams, @Body() dto: ReasonDto) {
    return this.intervention.retry(who, p.id, dto.reason);
  }

  @Post('events/:id/dismiss')
  @HttpCode(200)
  dismiss(@Admin() who: AdminContext, @Param() p: OutboxEventParams, @Body() dto: ReasonDto) {
    return this.intervention.dismiss(who, p.id, dto.reason);
  }
}
