import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AuthUser } from './auth-user';

export const REQUIRES_ADMIN = 'paychat:requires-admin';

/** Only members of the admin group (403 for everyone else). */
export const AdminOnly = () => SetMetadata(REQUIRES_ADMIN, true);

/** The verified caller, injected into a handler. */
export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthUser => ctx.switchToHttp().getRequest<{ user: AuthUser }>().user,
);
