import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { LimitQuery } from '@paychat/platform';
import { MESSAGE_ID } from '../db/keys';

export const MAX_WAIT_SECONDS = 25;

export class SendMessageDto {
  @IsString()
  @Length(1, 64)
  @Matches(/^[\x21-\x7e]+$/, { message: 'clientMessageId must be printable ASCII without spaces' })
  clientMessageId!: string;

  @IsString()
  @Length(1, 2000)
  text!: string;
}

export class ReadDto {
  @Matches(MESSAGE_ID, { message: 'messageId is not a message id' })
  messageId!: string;
}

export class HistoryQuery extends LimitQuery {
  @IsOptional()
  @Matches(MESSAGE_ID, { message: 'before is not a message id' })
  before?: string;

  @IsOptional()
  @Matches(MESSAGE_ID, { message: 'after is not a message id' })
  after?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor is not valid' })
  cursor?: string;

  /** With `after` (or an oldest-first cursor): long-poll up to this long for a newer message. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_WAIT_SECONDS)
  waitSeconds: number = 0;
}
