import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsUlid } from '@paychat/contracts';
import { Amount } from '../transfers/transfers.dto';

export class PaymentDto {
  @IsUlid('merchantId must be a merchant id')
  merchantId!: string;

  @Amount()
  amount!: number;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  reference?: string;
}

export interface PaymentView {
  id: string;
  merchantId: string;
  amount: number;
  reference: string | null;
  createdAt: string;
  balance?: number;
}
