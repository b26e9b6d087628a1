import { Matches } from 'class-validator';
import { Amount, ULID } from '../transfers/transfers.dto';

export class RailDto {
  @Amount()
  amount!: number;

  @Matches(ULID, { message: 'bankAccountId must be a bank account id' })
  bankAccountId!: string;
}
