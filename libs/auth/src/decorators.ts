import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AuthUser } from './auth-user';

export const REQUIRES_ADMIN = 'paychat:requires-admin';

/** Only members of the admin group (403 for everyone else). */
export const AdminOnly = () => SetMetadata(REQUIRES_ADMIN, true);

/**
 * Who is calling: what AuthGuard attached to the request, the verified token merged with what the
 * app's CallerResolver returned. Each app types the parameter with its own caller (WalletCaller,
 * ChatCaller); the legacy app's session callers are a different identity (LegacyUser).
 */
export const CurrentCaller = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthUser => ctx.switchToHttp().getRequest<{ user: AuthUser }>().user,
);
