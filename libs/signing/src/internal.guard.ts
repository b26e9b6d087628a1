import { CanActivate, ExecutionContext, Inject, Injectable, Logger, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { BaseEnv } from '@paychat/config';
import { AppError } from '@paychat/errors';
import { APP_CONFIG } from '@paychat/platform';
import { parseSecrets, verifyRequest } from './signature';

const ALLOWED_CALLERS = 'paychat:internal-callers';

/** Which sibling services may call an `/internal/*` controller (each signs with its own secret). */
export const InternalCallers = (...callers: string[]) => SetMetadata(ALLOWED_CALLERS, callers);

/**
 * Guards `/internal/*` controllers: only a sibling service holding its per-caller secret gets in,
 * and only the callers the controller names with @InternalCallers. Mark such controllers
 * @Public() (no user token), @UseGuards(InternalGuard) and @InternalCallers(...).
 */
@Injectable()
export class InternalGuard implements CanActivate {
  private readonly logger = new Logger(InternalGuard.name);
  private readonly secrets: Map<string, string>;

  constructor(
    @Inject(APP_CONFIG) config: BaseEnv,
    private readonly reflector: Reflector,
  ) {
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
    const allowed = this.reflector.getAllAndOverride<string[] | undefined>(ALLOWED_CALLERS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!allowed?.includes(result.caller)) {
      this.logger.warn(
        { caller: result.caller, path: request.url },
        'internal call from a caller not allowed here',
      );
      throw new AppError('forbidden', 'This service may not call this route');
    }
    request.caller = result.caller;
    return true;
  }
}
