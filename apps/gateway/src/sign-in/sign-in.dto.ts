import { IsEmail, IsString, Length } from 'class-validator';
import { WireFormat } from '@paychat/contracts';

/** Cognito's default policy, checked here too so a weak password is a clear 400 before any call. */
const PASSWORD = /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^A-Za-z0-9]).{8,128}$/;
const PASSWORD_RULE =
  'password must be 8–128 characters with upper and lower case letters, a digit and a symbol';

export class EmailDto {
  @IsEmail()
  @Length(3, 254)
  email!: string;
}

export class SignupDto extends EmailDto {
  @IsString()
  @WireFormat(PASSWORD, 8, 128, PASSWORD_RULE)
  password!: string;

  @IsString()
  @Length(1, 50)
  displayName!: string;
}

export class ConfirmDto extends EmailDto {
  @IsString()
  @Length(1, 16)
  code!: string;
}

export class LoginDto extends EmailDto {
  @IsString()
  @Length(1, 128)
  password!: string;
}

export class RefreshDto {
  @IsString()
  @WireFormat(/^[A-Za-z0-9_.-]+$/, 1, 8192, 'refreshToken is not a refresh token')
  refreshToken!: string;
}

export class ResetPasswordDto extends EmailDto {
  @IsString()
  @Length(1, 16)
  code!: string;

  @IsString()
  @WireFormat(PASSWORD, 8, 128, PASSWORD_RULE)
  newPassword!: string;
}

export interface TokensView {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  expiresIn: number;
  tokenType: 'Bearer';
}
