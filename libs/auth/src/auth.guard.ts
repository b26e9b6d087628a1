import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppError } from '@paychat/errors';
import { APP_CONFIG, IS_PUBLIC, RequestLogFields } from '@paychat/platform';
import { AuthUser, CALLER_RESOLVER } from './auth-user';
import type { CallerResolver } from './auth-user';
import { CognitoEnv } from './cognito.env';
import { REQUIRES_ADMIN } from './decorators';
import { TokenVerifier } from './token-verifier';

/** Every route needs a valid access token unless marked @Public(); a bare `x-user-id` is never trusted. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    @Inject(APP_CONFIG) private readonly config: CognitoEnv,
    @Optional() @Inject(CALLER_RESOLVER) private readonly callers?: CallerResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const token = bearerToken(request.headers.authorization);
    if (!token) {
      throw new AppError('unauthorized', 'Bearer access token required', undefined, {
        'www-authenticate': 'Bearer',
      });
    }
    const verified = await this.verifier.verify(token);
    const isAdminRoute = this.reflector.getAllAndOverride<boolean>(REQUIRES_ADMIN, targets);
    if (isAdminRoute && !verified.groups.includes(this.config.COGNITO_ADMIN_GROUP)) {
      throw new AppError('forbidden', 'Admin group required');
    }
    const user = this.callers ? { ...verified, ...(await this.callers.resolve(verified)) } : verified;
    request.user = user;
    (request.raw as RequestLogFields).userId = user.userId ?? user.sub;
    return true;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer ([A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]+\.?[A-Za-z0-9\-_.+/=]*)$/.exec(header ?? '');
  return match?.[1];
}
