import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppError } from '@paychat/errors';
import { IS_PUBLIC, RequestLogFields } from '@paychat/platform';
import { AuthUser, CALLER_RESOLVER } from './auth-user';
import type { CallerResolver } from './auth-user';
import { REQUIRES_ADMIN } from './decorators';
import { TokenRejections } from './token-rejections';
import { TokenVerifier } from './token-verifier';

/** Every route needs a valid access token unless marked @Public(); a bare `x-user-id` is never trusted. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly rejections: TokenRejections,
    @Optional() @Inject(CALLER_RESOLVER) private readonly callers?: CallerResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const verified = await this.verifier.verifyBearer(request.headers.authorization);
    if (this.reflector.getAllAndOverride<boolean>(REQUIRES_ADMIN, targets))
      this.verifier.assertAdmin(verified);
    const user = this.callers
      ? { ...verified, ...(await this.resolve(this.callers, verified, request.id)) }
      : verified;
    request.user = user;
    // The wallet's ULID where the app resolves callers (wallet, messages); the Cognito subject beside it.
    Object.assign(request.raw as RequestLogFields, { userId: user.userId, sub: user.sub });
    return true;
  }

  /** The app's own user for a verified token; a 401 from the app is a user it refuses (disabled). */
  private async resolve(callers: CallerResolver, verified: AuthUser, requestId: string) {
    try {
      return await callers.resolve(verified, requestId);
    } catch (err) {
      if (err instanceof AppError && err.status === 401) this.rejections.count('disabled_user');
      throw err;
    }
  }
}
