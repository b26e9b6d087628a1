import { CanActivate, ExecutionContext, Inject, Injectable, Logger, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { BaseEnv } from '@paychat/config';
import { AppError } from '@paychat/errors';
import { APP_CONFIG, SERVICE_NAME } from '@paychat/platform';
import { ServiceKeys } from './keys';
import { REPLAY_CACHE_FULL, RequestVerifier } from './signature';

const ALLOWED_CALLERS = 'paychat:internal-callers';

/** Which sibling services may call an `/internal/*` controller (each signs with its own pair secret). */
export const InternalCallers = (...callers: string[]) => SetMetadata(ALLOWED_CALLERS, callers);

/**
 * Guards `/internal/*` controllers: only a call signed for this service, once, with the secret of its
 * caller→us pair gets in, and only from the callers the controller names with @InternalCallers. Mark
 * such controllers @Public() (no user token), @UseGuards(InternalGuard) and @InternalCallers(...).
 */
@Injectable()
export class InternalGuard implements CanActivate {
  private readonly logger = new Logger(InternalGuard.name);
  private readonly verifier: RequestVerifier;

  constructor(
    @Inject(APP_CONFIG) config: BaseEnv,
    @Inject(SERVICE_NAME) service: string,
    private readonly reflector: Reflector,
  ) {
    this.verifier = new RequestVerifier(ServiceKeys.parse(config.INTERNAL_SECRETS, service));
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<FastifyRequest & { rawBody?: Buffer; caller?: string }>();
    const result = this.verifier.verify(request.headers, {
      method: request.method,
      path: request.url,
      body: request.rawBody,
    });
    if (!result.ok) {
      this.logger.warn(
        { reason: result.reason, caller: result.caller, path: request.url },
        'internal call refused',
      );
      if (result.reason === REPLAY_CACHE_FULL) {
        throw new AppError('service_unavailable', 'Too many internal calls; try again', undefined, {
          'retry-after': '1',
        });
      }
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
