import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Public } from '@paychat/platform';
import { ConfirmDto, EmailDto, LoginDto, RefreshDto, ResetPasswordDto, SignupDto } from './sign-in.dto';
import { CognitoSignIn } from './cognito-sign-in';

/** Sign-up and sign-in against Cognito; the only routes besides health that need no token. */
@Public()
@Controller('v2/auth')
export class SignInController {
  constructor(private readonly cognito: CognitoSignIn) {}

  @Post('signup')
  @HttpCode(201)
  signup(@Body() dto: SignupDto) {
    return this.cognito.signup(dto);
  }

  @Post('confirm')
  @HttpCode(204)
  async confirm(@Body() dto: ConfirmDto) {
    await this.cognito.confirm(dto);
  }

  @Post('login')
  @HttpCode(200)
  login(@Body() dto: LoginDto) {
    return this.cognito.login(dto);
  }

  @Post('refresh')
  @HttpCode(200)
  refresh(@Body() dto: RefreshDto) {
    return this.cognito.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@Body() dto: RefreshDto) {
    await this.cognito.logout(dto.refreshToken);
  }

  @Post('password/forgot')
  @HttpCode(202)
  async forgotPassword(@Body() dto: EmailDto) {
    await this.cognito.forgotPassword(dto.email);
  }

  @Post('password/reset')
  @HttpCode(204)
  async resetPassword(@Body() dto: ResetPasswordDto) {
    await this.cognito.resetPassword(dto);
  }
}
