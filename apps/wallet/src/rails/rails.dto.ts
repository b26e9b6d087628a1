import { IsUlid } from '@paychat/contracts';
import { Amount } from '../transfers/transfers.dto';

export class RailDto {
  @Amount()
  amount!: number;

  @IsUlid('bankAccountId must be a bank account id')
  bankAccountId!: string;
}
