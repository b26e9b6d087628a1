import { IsOptional, IsString, IsUrl, Matches } from 'class-validator';
import { BaseEnv } from '@paychat/config';

/** Where access tokens come from. Defaults point at the embedded cognito-local of `npm run dev`. */
export class CognitoEnv extends BaseEnv {
  static override readonly requiredInProduction: readonly string[] = [
    ...BaseEnv.requiredInProduction,
    'COGNITO_USER_POOL_ID',
    'COGNITO_CLIENT_ID',
  ];

  @Matches(/^[a-z]{2}(-[a-z]+)+-\d$/)
  COGNITO_REGION: string = 'ap-northeast-1';

  @Matches(/^[a-z]{2}(-[a-z]+)+-\d_[A-Za-z0-9]+$/)
  COGNITO_USER_POOL_ID: string = 'ap-northeast-1_PaychatLocal';

  @Matches(/^[a-z0-9]{1,128}$/)
  COGNITO_CLIENT_ID: string = 'paychatlocalappclient00001';

  /** Only for a Cognito stand-in (the dev runner sets it to its cognito-local); unset for real Cognito. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  COGNITO_ENDPOINT?: string;

  @IsString()
  COGNITO_ADMIN_GROUP: string = 'admin';
}

/** The `iss` every token must carry; JWKS lives under it, for real Cognito and cognito-local alike. */
export function cognitoIssuer(env: CognitoEnv): string {
  const origin = env.COGNITO_ENDPOINT ?? `https://cognito-idp.${env.COGNITO_REGION}.amazonaws.com`;
  return `${origin.replace(/\/$/, '')}/${env.COGNITO_USER_POOL_ID}`;
}
