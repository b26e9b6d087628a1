import type { AuthUser } from '@paychat/auth';

/** The verified caller, mapped to our own user id by the wallet (WalletDirectory). */
export interface ChatCaller extends AuthUser {
  userId: string;
}
