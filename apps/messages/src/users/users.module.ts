import { Global, Module } from '@nestjs/common';
import { CALLER_RESOLVER } from '@paychat/auth';
import { WalletDirectory } from './wallet-directory';

/** Callers and members are the wallet's users (it owns `users` and `identities`). */
/**
 * Global because the auth library's app-wide guard resolves CALLER_RESOLVER from its own module,
 * which imports no app module; the app's own users of the directory import this module.
 */
@Global()
@Module({
  providers: [WalletDirectory, { provide: CALLER_RESOLVER, useExisting: WalletDirectory }],
  exports: [WalletDirectory, CALLER_RESOLVER],
})
export class UsersModule {}
