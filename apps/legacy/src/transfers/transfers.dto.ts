import { IsEmail, IsInt, Max, MaxLength, Min } from 'class-validator';

export const MAX_TRANSFER_YEN = 1_000_000;

export class TransferDto {
  @IsEmail()
  @MaxLength(254)
  toEmail!: string;

  /** Yen as a JSON integer; a string such as "100" is refused, not coerced. */
  @IsInt()
  @Min(1)
  @Max(MAX_TRANSFER_YEN)
  amount!: number;
}

export interface TransferView {
  id: number;
  /** The sender's balance after the transfer. */
  balance: number;
}
