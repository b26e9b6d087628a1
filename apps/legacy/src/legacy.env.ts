import { IsUrl } from 'class-validator';
import { BaseEnv } from '@paychat/config';

export class LegacyEnv extends BaseEnv {
  override PORT: number = 3003;

  /** The legacy schema, as its own all-powerful app user (see scripts/migrate/db-users.ts). */
  @IsUrl(
    { protocols: ['mysql'], require_protocol: true, require_tld: false },
    { message: 'LEGACY_DB_URL must be a mysql:// URL' },
  )
  LEGACY_DB_URL: string = 'mysql://paychat_legacy:paychat_legacy_local@127.0.0.1:3306/paychat_legacy';
}
