import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';

/** Cognito's default policy, checked here too so a weak password is a clear 400 before any call. */
const PASSWORD = /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^A-Za-z0-9]).{8,128}$/;
const PASSWORD_RULE =
  'password must be 8–128 characters with upper and lower case letters, a digit and a symbol';

export class EmailDto {
  @IsEmail()
  @MaxLength(254)
  email!: string;
}

export class SignupDto extends EmailDto {
  @IsString()
  @Matches(PASSWORD, { message: PASSWORD_RULE })
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
  @Length(1, 8192)
  refreshToken!: string;
}

export class ResetPasswordDto extends EmailDto {
  @IsString()
  @Length(1, 16)
  code!: string;

  @IsString()
  @Matches(PASSWORD, { message: PASSWORD_RULE })
  newPassword!: string;
}

export interface TokensView {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  expiresIn: number;
  tokenType: 'Bearer';
}
