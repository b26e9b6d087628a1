import { IsString, Length } from 'class-validator';
import { WireFormat } from '@paychat/contracts';

export class LinkBankAccountDto {
  @WireFormat(/^[0-9]+$/, 4, 4, 'bankCode must be 4 digits')
  bankCode!: string;

  @WireFormat(/^[0-9]+$/, 3, 3, 'branchCode must be 3 digits')
  branchCode!: string;

  @WireFormat(/^[0-9]+$/, 7, 7, 'accountNumber must be 7 digits')
  accountNumber!: string;

  @IsString()
  @Length(1, 100)
  holderName!: string;
}

export interface BankAccountView {
  id: string;
  bankCode: string;
  last4: string;
  holderName: string;
  status: 'pending_verification' | 'verified' | 'rejected';
  createdAt: string;
}
