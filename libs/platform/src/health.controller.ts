import { Controller, Get } from '@nestjs/common';
import { AppError } from '@paychat/errors';
import { Public } from './public.decorator';
import { Readiness } from './readiness';

@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: Readiness) {}

  /** The process is up and its event loop turns; never touches a dependency. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /**
   * Every dependency this app needs answers; 503 problem naming the ones that do not. One it can
   * serve without is listed as `degraded` in a 200. From SIGTERM on, 503 at once (nothing probed),
   * so callers polling it stop sending within one poll.
   */
  @Get('ready')
  async ready() {
    if (this.readiness.stopping.aborted) throw new AppError('service_unavailable', 'Shutting down');
    const { ready, checks } = await this.readiness.run();
    if (!ready) {
      const down = Object.entries(checks)
        .filter(([, s]) => s === 'down')
        .map(([n]) => n);
      throw new AppError('service_unavailable', `Not ready: ${down.join(', ')}`);
    }
    return { status: 'ok', checks };
  }
}
