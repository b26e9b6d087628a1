import { Matches } from 'class-validator';
import { CognitoEnv } from '@paychat/auth';

export class WalletEnv extends CognitoEnv {
  static override readonly requiredInProduction: readonly string[] = [
    ...CognitoEnv.requiredInProduction,
    'WALLET_DB_URL',
  ];

  override PORT: number = 3001;

  /** The runtime user: SELECT/INSERT/UPDATE only (see scripts/migrate/db-users.ts). */
  @Matches(/^mysql:\/\/[^/]+\/[A-Za-z0-9_]+(\?.*)?$/, {
    message: 'WALLET_DB_URL must be mysql://user:password@host:port/database',
  })
  WALLET_DB_URL: string = 'mysql://paychat_app:paychat_app_local@127.0.0.1:3306/paychat_wallet';
}
