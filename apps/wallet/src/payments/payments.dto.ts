import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Amount, ULID } from '../transfers/transfers.dto';

export class PaymentDto {
  @Matches(ULID, { message: 'merchantId must be a merchant id' })
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
