import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, IsUrl, Matches, Max, Min } from 'class-validator';
import { CognitoEnv } from '@paychat/auth';
import { toBool } from '@paychat/config';
import { DEFAULT_KYC_LIMITS, IsKycLimits } from './limits/kyc-limits';

export class WalletEnv extends CognitoEnv {
  static override readonly requiredInProduction: readonly string[] = [
    ...CognitoEnv.requiredInProduction,
    'WALLET_DB_URL',
    'BANK_ACCOUNT_KEY',
  ];

  override PORT: number = 3001;

  /** The runtime user: SELECT/INSERT/UPDATE only (see scripts/migrate/db-users.ts). */
  @Matches(/^mysql:\/\/[^/]+\/[A-Za-z0-9_]+(\?.*)?$/, {
    message: 'WALLET_DB_URL must be mysql://user:password@host:port/database',
  })
  WALLET_DB_URL: string = 'mysql://paychat_app:paychat_app_local@127.0.0.1:3306/paychat_wallet';

  @IsInt()
  @Min(2)
  @Max(500)
  WALLET_DB_POOL_SIZE: number = 32;

  /** Master key (base64, 32 bytes) sealing the per-record keys of bank account numbers; KMS in production. */
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'BANK_ACCOUNT_KEY must be 32 bytes, base64-encoded' })
  BANK_ACCOUNT_KEY: string = 'bG9jYWwtb25seS1iYW5rLWFjY291bnQta2V5LTMyYiE=';

  /** Per KYC level: perOperation, daily and monthly (JST) outflow limits, and maxBalance, in yen. */
  @IsKycLimits()
  KYC_LIMITS: string = JSON.stringify(DEFAULT_KYC_LIMITS);

  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  MESSAGES_URL: string = 'http://127.0.0.1:3002';

  /** How long a bank call may take before its outcome counts as unknown (pending). */
  @IsInt()
  @Min(50)
  @Max(60_000)
  BANK_TIMEOUT_MS: number = 5_000;

  @IsInt()
  @Min(0)
  @Max(60_000)
  BANK_SIM_LATENCY_MS: number = 0;

  @IsNumber()
  @Min(0)
  @Max(1)
  BANK_SIM_DECLINE_RATE: number = 0;

  @IsNumber()
  @Min(0)
  @Max(1)
  BANK_SIM_TIMEOUT_RATE: number = 0;

  @Transform(toBool)
  @IsBoolean()
  WALLET_JOBS_ENABLED: boolean = true;

  @IsInt()
  @Min(50)
  OUTBOX_RELAY_INTERVAL_MS: number = 500;

  /** Events leave from the committing process at once; the relay delivers what this path missed. */
  @Transform(toBool)
  @IsBoolean()
  OUTBOX_FAST_PATH: boolean = true;

  /** How long a fresh event is the fast path's before the relay may take it (crash, consumer down). */
  @IsInt()
  @Min(100)
  @Max(60_000)
  OUTBOX_FAST_PATH_LEASE_MS: number = 5_000;

  /**
   * How long events the relay claimed stay its own; renewed while their delivery is in flight, so
   * this only bounds how long a crashed relay's events wait before another replica delivers them.
   */
  @IsInt()
  @Min(1_000)
  @Max(60_000)
  OUTBOX_RELAY_LEASE_MS: number = 5_000;

  @IsInt()
  @Min(100)
  RECOVERY_INTERVAL_MS: number = 5_000;

  /** How often the incremental ledger reconciliation runs (the nightly JST full pass piggybacks). */
  @IsInt()
  @Min(1_000)
  RECONCILE_INTERVAL_MS: number = 60_000;

  /** A pending bank operation older than this is asked about by the recovery job. */
  @IsInt()
  @Min(0)
  RECOVERY_AFTER_MS: number = 10_000;
}
