import { Module } from '@nestjs/common';
import { SignInController } from './sign-in.controller';
import { CognitoSignIn } from './cognito-sign-in';
import { AuthModule, cognitoClientProvider } from '@paychat/auth';

@Module({
  imports: [AuthModule],
  controllers: [SignInController],
  providers: [cognitoClientProvider, CognitoSignIn],
})
export class SignInModule {}
