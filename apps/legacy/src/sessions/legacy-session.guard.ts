import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '@paychat/errors';
import type { RequestLogFields } from '@paychat/platform';
import type { LegacyCaller } from './legacy-caller';
import { sessionTokenFrom } from './session-token';
import { SessionsService } from './sessions.service';

export type LegacyRequest = FastifyRequest & { legacyUser?: LegacyCaller };

/** A `/v1` route that needs a live legacy session; missing, malformed, unknown or expired → 401. */
@Injectable()
export class LegacySessionGuard implements CanActivate {
  constructor(private readonly sessions: SessionsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<LegacyRequest>();
    const token = sessionTokenFrom(request.headers.authorization);
    const user = token ? await this.sessions.authenticate(token) : undefined;
    if (!user) {
      throw new AppError('unauthorized', 'A valid legacy session is required', undefined, {
        'www-authenticate': 'Session',
      });
    }
    request.legacyUser = user;
    // Not `userId`: that is the wallet's ULID in every other service's lines, and this is another id space.
    (request.raw as RequestLogFields).legacyUserId = String(user.id);
    return true;
  }
}
