import { IsString, Length, Matches } from 'class-validator';

export class LinkBankAccountDto {
  @Matches(/^\d{4}$/, { message: 'bankCode must be 4 digits' })
  bankCode!: string;

  @Matches(/^\d{3}$/, { message: 'branchCode must be 3 digits' })
  branchCode!: string;

  @Matches(/^\d{7}$/, { message: 'accountNumber must be 7 digits' })
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
