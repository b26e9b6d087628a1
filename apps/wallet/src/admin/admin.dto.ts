import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsUlid } from '@paychat/contracts';
import { KYC_LEVELS, type KycLevel } from '../limits/kyc-limits';

export class UserSearchQuery {
  @IsString()
  @Length(1, 254)
  query!: string;
}

export class UserIdParams {
  @IsUlid('userId must be a user id')
  userId!: string;
}

export class KycDto {
  @IsIn(KYC_LEVELS)
  level!: KycLevel;
}

export class ReasonDto {
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class OptionalReasonDto {
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

export class MerchantDto {
  @IsString()
  @Length(1, 100)
  name!: string;
}

export interface AdminUserView {
  userId: string;
  email: string;
  displayName: string;
  handle: string | null;
  status: string;
  kycLevel: string;
  createdAt: string;
  wallet: { accountId: string; balance: number; status: string; debitBlocked: boolean };
}

export interface ReversalView {
  id: string;
  transferId: string;
  amount: number;
  reason: string;
  createdAt: string;
}
