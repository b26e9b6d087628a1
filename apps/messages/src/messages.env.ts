import { IsOptional, IsString, IsUrl, Length } from 'class-validator';
import { CognitoEnv } from '@paychat/auth';

export class MessagesEnv extends CognitoEnv {
  override PORT: number = 3002;

  /** Set for DynamoDB Local; unset in production (the SDK's regional endpoint and task-role credentials). */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  DYNAMODB_ENDPOINT?: string;

  @IsString()
  AWS_REGION: string = 'ap-northeast-1';

  @Length(3, 255)
  MESSAGES_TABLE: string = 'paychat-messages';
}
