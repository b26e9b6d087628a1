import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { BaseEnv } from '@paychat/config';
import { AppError } from '@paychat/errors';
import { APP_CONFIG } from '@paychat/platform';
import { parseSecrets, verifyRequest } from './signature';

/**
 * Guards `/internal/*` controllers: only a sibling service holding its per-caller secret gets in.
 * Mark such controllers @Public() (no user token) and @UseGuards(InternalGuard).
 */
@Injectable()
export class InternalGuard implements CanActivate {
  private readonly logger = new Logger(InternalGuard.name);
  private readonly secrets: Map<string, string>;

  constructor(@Inject(APP_CONFIG) config: BaseEnv) {
    this.secrets = parseSecrets(config.INTERNAL_SECRETS);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<FastifyRequest & { rawBody?: Buffer; caller?: string }>();
    const result = verifyRequest(this.secrets, request.headers, {
      method: request.method,
      path: request.url,
      body: request.rawBody,
    });
    if (!result.ok) {
      this.logger.warn({ reason: result.reason, path: request.url }, 'internal call refused');
      throw new AppError('unauthorized', 'Service signature required');
    }
    request.caller = result.caller;
    return true;
  }
}
