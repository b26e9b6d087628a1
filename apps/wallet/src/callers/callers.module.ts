import { Global, Module } from '@nestjs/common';
import { CALLER_RESOLVER, cognitoClientProvider } from '@paychat/auth';
import { LedgerModule } from '../ledger/ledger.module';
import { CognitoProfile } from './cognito-profile';
import { WalletCallerResolver } from './caller.resolver';

/**
 * Global because the auth library's app-wide guard resolves CALLER_RESOLVER from its own module,
 * which imports no app module; the wallet's own users of the resolver import this module.
 */
@Global()
@Module({
  imports: [LedgerModule],
  providers: [
    cognitoClientProvider,
    CognitoProfile,
    WalletCallerResolver,
    { provide: CALLER_RESOLVER, useExisting: WalletCallerResolver },
  ],
  exports: [CALLER_RESOLVER, WalletCallerResolver, cognitoClientProvider],
})
export class CallersModule {}
