import { IsInt, IsOptional, IsString, IsUrl, Length, Max, Min } from 'class-validator';
import { CognitoEnv } from '@paychat/auth';

const url = { require_tld: false, protocols: ['http', 'https'] };

export class MessagesEnv extends CognitoEnv {
  override PORT: number = 3002;

  /** Set for DynamoDB Local; unset in production (the SDK's regional endpoint and task-role credentials). */
  @IsOptional()
  @IsUrl(url)
  DYNAMODB_ENDPOINT?: string;

  @IsString()
  AWS_REGION: string = 'ap-northeast-1';

  @Length(3, 255)
  MESSAGES_TABLE: string = 'paychat-messages';

  /** The user directory: callers are resolved and members checked by the wallet. */
  @IsUrl(url)
  WALLET_URL: string = 'http://127.0.0.1:3001';

  /**
   * Redis pub/sub between instances, so a send on one wakes long-polls held by another at once.
   * Unset: only same-instance sends wake a poll at once; others are seen within the recheck.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['redis', 'rediss'] })
  REDIS_URL?: string;

  /** A waiting long-poll re-reads this often even without a signal (a lost one costs only this). */
  @IsInt()
  @Min(200)
  @Max(25_000)
  LONG_POLL_RECHECK_MS: number = 5_000;
}
