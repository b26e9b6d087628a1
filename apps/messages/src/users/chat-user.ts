import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthUser } from '@paychat/auth';

/** The verified caller, mapped to our own user id by the wallet (WalletDirectory). */
export interface ChatCaller extends AuthUser {
  userId: string;
}

export const ChatUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): ChatCaller =>
    ctx.switchToHttp().getRequest<{ user: ChatCaller }>().user,
);
