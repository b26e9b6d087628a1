import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { TokenVerifier } from '@paychat/auth';
import type { RequestLogFields } from '@paychat/platform';

/**
 * The old admin's door: a Cognito access token in the `admin` group (401 without a valid one, 403
 * outside the group), verified here as every service verifies its callers. The ALB sends
 * `/admin/v1/*` straight to this app, so the gateway's own check cannot be relied on; a legacy
 * `Session` never opens these pages.
 */
@Injectable()
export class LegacyAdminGuard implements CanActivate {
  constructor(private readonly verifier: TokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const user = await this.verifier.verifyBearer(request.headers.authorization);
    this.verifier.assertAdmin(user);
    (request.raw as RequestLogFields).sub = user.sub;
    return true;
  }
}
