import type { AuthUser } from '@paychat/auth';

/** The verified caller, resolved to our user and their wallet account (WalletCallerResolver). */
export interface WalletCaller extends AuthUser {
  userId: string;
  accountId: string;
}
