import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PROBLEM_STATUS, sendProblem } from '@paychat/errors';
import { Public } from './public.decorator';
import { Readiness } from './readiness';

const unavailable = (detail: string, extensions?: Record<string, unknown>) => ({
  code: 'service_unavailable' as const,
  status: PROBLEM_STATUS.service_unavailable,
  detail,
  extensions,
});

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
   * Every dependency this app needs answers; else a 503 problem naming the ones that do not. One it
   * can serve without is listed as `degraded` in a 200. Either way `checks` lists every dependency's
   * state and `error` why each one not up is not. From SIGTERM on, 503 at once (nothing probed), so
   * callers polling it stop sending within one poll. Answered here, not thrown: a failing probe is
   * logged by Readiness once when it starts failing, not with a stack trace at every poll.
   */
  @Get('ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    if (this.readiness.stopping.aborted) {
      sendProblem(reply, unavailable('Shutting down'));
      return;
    }
    const { ready, checks, error } = await this.readiness.run();
    if (!ready) {
      const down = Object.keys(checks).filter((name) => checks[name] === 'down');
      sendProblem(reply, unavailable(`Not ready: ${down.join(', ')}`, { checks, error }));
      return;
    }
    reply.send({ status: 'ok', checks, ...(Object.keys(error).length ? { error } : {}) });
  }
}
