import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthUser } from '@paychat/auth';

/** The verified caller, resolved to our user and their wallet account. */
export interface WalletCaller extends AuthUser {
  userId: string;
  accountId: string;
}

export const Caller = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): WalletCaller =>
    ctx.switchToHttp().getRequest<{ user: WalletCaller }>().user,
);
