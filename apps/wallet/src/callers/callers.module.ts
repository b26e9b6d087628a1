import { Module } from '@nestjs/common';
import { CALLER_RESOLVER, cognitoClientProvider } from '@paychat/auth';
import { LedgerModule } from '../ledger/ledger.module';
import { UsersModule } from '../users/users.module';
import { CognitoProfile } from './cognito-profile';
import { WalletCallerResolver } from './caller.resolver';

/** Who a verified token is in the wallet (provisioned on first use); the app-wide guard gets it through AuthModule.withCallers. */
@Module({
  imports: [LedgerModule, UsersModule],
  providers: [
    cognitoClientProvider,
    CognitoProfile,
    WalletCallerResolver,
    { provide: CALLER_RESOLVER, useExisting: WalletCallerResolver },
  ],
  exports: [CALLER_RESOLVER, WalletCallerResolver, cognitoClientProvider],
})
export class CallersModule {}
