import { IsInt, IsUrl, Min } from 'class-validator';
import { BaseEnv } from '@paychat/config';

export class LegacyEnv extends BaseEnv {
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
}
