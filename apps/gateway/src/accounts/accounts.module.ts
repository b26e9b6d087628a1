import { Module } from '@nestjs/common';
import { AccountsController } from './accounts.controller';
import { CognitoAccounts } from './cognito-accounts';
import { cognitoClientProvider } from '@paychat/auth';

@Module({
  controllers: [AccountsController],
  providers: [cognitoClientProvider, CognitoAccounts],
})
export class AccountsModule {}
