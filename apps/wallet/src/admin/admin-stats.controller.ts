import { Controller, Get, Header, Query } from '@nestjs/common';
import { AdminOnly } from '@paychat/auth';
import { ActivityStats } from './activity-stats.usecase';
import { ActivityQuery } from './admin.dto';

@AdminOnly()
@Controller('admin/v2/stats')
export class AdminStatsController {
  constructor(private readonly activity: ActivityStats) {}

  @Get('activity')
  @Header('cache-control', 'no-store')
  activityPerMinute(@Query() q: ActivityQuery) {
    return this.activity.execute(q.hours);
  }
}
