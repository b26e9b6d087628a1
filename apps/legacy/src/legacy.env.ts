import { IsInt, IsOptional, IsUrl, Min } from 'class-validator';
import { CognitoEnv } from '@paychat/auth';

/** Cognito's settings for the old admin pages (`/admin/v1`), which take the admins' access tokens. */
export class LegacyEnv extends CognitoEnv {
  override PORT: number = 3003;

  /** The legacy schema, as its own all-powerful app user (see scripts/migrate/db-users.ts). */
  @IsUrl(
    { protocols: ['mysql'], require_protocol: true, require_tld: false },
    { message: 'LEGACY_DB_URL must be a mysql:// URL' },
  )
  LEGACY_DB_URL: string = 'mysql://paychat_legacy:paychat_legacy_local@127.0.0.1:3306/paychat_legacy';

  /** Sign-in attempts a minute from one address (the client's: see TRUST_PROXY_HOPS). */
  @IsInt()
  @Min(1)
  LOGIN_ATTEMPTS_PER_IP: number = 100;

  /** Sign-in attempts a minute naming one login, whichever addresses they come from. */
  @IsInt()
  @Min(1)
  LOGIN_ATTEMPTS_PER_LOGIN: number = 10;

  /**
   * Logouts published by the gateway, so a logged-out admin token stops opening `/admin/v1` at once
   * (the ALB reaches this app directly). Unset: only until the token expires.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['redis', 'rediss'] })
  REDIS_URL?: string;
}
