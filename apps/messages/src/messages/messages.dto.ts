import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { PageQuery } from '@paychat/platform';
import { WireFormat } from '@paychat/contracts';
import { MESSAGE_ID } from '../db/keys';

/** `<conversationId>.<seq>`: 30–68 characters. */
const IsMessageId = (field: string) => WireFormat(MESSAGE_ID, 30, 68, `${field} is not a message id`);

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
  @IsMessageId('messageId')
  messageId!: string;
}

export class HistoryQuery extends PageQuery {
  @IsOptional()
  @IsMessageId('before')
  before?: string;

  @IsOptional()
  @IsMessageId('after')
  after?: string;

  /** With `after` (or an oldest-first cursor): long-poll up to this long for a newer message. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_WAIT_SECONDS)
  waitSeconds: number = 0;
}
