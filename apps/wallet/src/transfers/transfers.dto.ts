import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsUlid, type TransferCreatedPayload } from '@paychat/contracts';

export const MAX_AMOUNT = 1_000_000;

/** An amount of yen on the wire: a JSON integer 1…1,000,000 (never a string, float or boolean). */
export function Amount(): PropertyDecorator {
  return (target, key) => {
    IsInt()(target, key);
    Min(1)(target, key);
    Max(MAX_AMOUNT)(target, key);
  };
}

/** Yen to move and an optional memo: the whole body of a transfer in a chat, part of the others. */
export class AmountAndMemoDto {
  @Amount()
  amount!: number;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  memo?: string;
}

export class TransferDto extends AmountAndMemoDto {
  @IsUlid('toUserId must be a user id')
  toUserId!: string;
}

export class IdParams {
  @IsUlid('id must be an id')
  id!: string;
}

/** What the outbox carries to the chat (`transfer.created`), plus the sender's own balance. */
export interface TransferView extends TransferCreatedPayload {
  /** The sender's balance right after the transfer (only in the sender's own answer). */
  balance?: number;
}
