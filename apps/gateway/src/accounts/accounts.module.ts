import { Module } from '@nestjs/common';
import { AccountsController } from './accounts.controller';
import { CognitoAccounts } from './cognito-accounts';
import { AuthModule, cognitoClientProvider } from '@paychat/auth';

@Module({
  imports: [AuthModule],
  controllers: [AccountsController],
  providers: [cognitoClientProvider, CognitoAccounts],
})
export class AccountsModule {}
