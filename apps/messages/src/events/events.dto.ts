import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  type ChatEvent,
  type ChatEventBatch,
  IsUlid,
  MAX_EVENT_BATCH,
  type PaymentRequestChangedPayload,
  type TransferCreatedPayload,
  USER_ID,
} from '@paychat/contracts';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** The envelope of an outbox event; its payload is checked per topic (planEvent), per event. */
export class ChatEventDto implements ChatEvent {
  @IsUlid('id must be the outbox event id (a ULID)')
  id!: string;

  @IsString()
  @Length(1, 64)
  topic!: string;

  @IsString()
  @Length(1, 64)
  aggregateId!: string;

  @IsInt()
  @Min(1)
  version!: number;

  /** Optional within a deploy: a wallet from before it sends none (the message is stamped now). */
  @IsOptional()
  @IsISO8601({ strict: true })
  occurredAt?: string;

  @IsObject()
  payload!: Record<string, unknown>;
}

/** A malformed envelope fails the whole batch (400); a bad payload only its own event (`rejected`). */
export class ChatEventBatchDto implements ChatEventBatch {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_EVENT_BATCH)
  @ValidateNested({ each: true })
  @Type(() => ChatEventDto)
  events!: ChatEventDto[];
}

/** What a transfer and a payment request have in common: an id, an amount, a memo, a time. */
class MoneyEventDto {
  @Matches(ULID)
  id!: string;

  @IsInt()
  @Min(1)
  amount!: number;

  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(200)
  memo!: string | null;

  @IsISO8601()
  createdAt!: string;
}

export class TransferCreatedDto extends MoneyEventDto implements TransferCreatedPayload {
  @Matches(USER_ID)
  fromUserId!: string;

  @Matches(USER_ID)
  toUserId!: string;
}

export class PaymentRequestChangedDto extends MoneyEventDto implements PaymentRequestChangedPayload {
  @Matches(USER_ID)
  requesterId!: string;

  @Matches(USER_ID)
  payerId!: string;

  @IsIn(['pending', 'paid', 'declined', 'cancelled', 'expired'])
  status!: 'pending' | 'paid' | 'declined' | 'cancelled' | 'expired';

  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(ULID)
  transferId!: string | null;

  @IsISO8601()
  expiresAt!: string;
}

/** A notice in a direct chat from the platform itself (no sender). */
export class SystemMessageDto {
  @Matches(USER_ID)
  userId!: string;

  @Matches(USER_ID)
  otherUserId!: string;

  @IsString()
  @Length(1, 2000)
  text!: string;
}
