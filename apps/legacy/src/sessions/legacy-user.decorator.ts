import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { LegacyRequest } from './legacy-session.guard';
import type { LegacyCaller } from './legacy-caller';

/** The caller that LegacySessionGuard resolved; only on routes that use the guard. */
export const LegacyUser = createParamDecorator((_: unknown, ctx: ExecutionContext): LegacyCaller => {
  const user = ctx.switchToHttp().getRequest<LegacyRequest>().legacyUser;
  if (!user) throw new Error('@LegacyUser() used on a route without LegacySessionGuard');
  return user;
});
