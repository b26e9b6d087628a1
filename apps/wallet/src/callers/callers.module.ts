import { Global, Module } from '@nestjs/common';
import { CALLER_RESOLVER, cognitoClientProvider } from '@paychat/auth';
import { CognitoProfile } from './cognito-profile';
import { WalletCallerResolver } from './caller.resolver';

@Global()
@Module({
  providers: [
    cognitoClientProvider,
    CognitoProfile,
    WalletCallerResolver,
    { provide: CALLER_RESOLVER, useExisting: WalletCallerResolver },
  ],
  exports: [CALLER_RESOLVER, WalletCallerResolver, cognitoClientProvider],
})
export class CallersModule {}
