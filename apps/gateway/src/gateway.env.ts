import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsUrl, Max, Min } from 'class-validator';
import { CognitoEnv } from '@paychat/auth';
import { toBool } from '@paychat/config';

const url = { require_tld: false, protocols: ['http', 'https'] };

export class GatewayEnv extends CognitoEnv {
  override PORT: number = 8080;

  @IsUrl(url)
  LEGACY_URL: string = 'http://127.0.0.1:3003';

  @IsUrl(url)
  WALLET_URL: string = 'http://127.0.0.1:3001';

  @IsUrl(url)
  MESSAGES_URL: string = 'http://127.0.0.1:3002';

  /** How long an upstream may take to start answering before the caller gets a 504. */
  @IsInt()
  @Min(100)
  @Max(60_000)
  UPSTREAM_TIMEOUT_MS: number = 10_000;

  /** Confirm sign-ups at once (local stack only: skips the emailed code). */
  @Transform(toBool)
  @IsBoolean()
  AUTH_AUTO_CONFIRM: boolean = false;
}
