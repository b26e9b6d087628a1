import { Module } from '@nestjs/common';
import { CALLER_RESOLVER } from '@paychat/auth';
import { WalletDirectory } from './wallet-directory';

/** Callers and members are the wallet's users (it owns `users` and `identities`). */
@Module({
  providers: [WalletDirectory, { provide: CALLER_RESOLVER, useExisting: WalletDirectory }],
  exports: [WalletDirectory, CALLER_RESOLVER],
})
export class UsersModule {}
