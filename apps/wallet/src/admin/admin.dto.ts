import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsUlid } from '@paychat/contracts';
import { PageQuery } from '@paychat/platform';
import type { BankAccountView } from '../bank-accounts/bank-accounts.dto';
import { KYC_LEVELS, type KycLevel } from '../limits/kyc-limits';
import type { LimitsView } from '../limits/limits';

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

/** `GET /admin/v2/audit-log`: every filter optional, all of them must hold. */
export class AuditLogQuery extends PageQuery {
  @IsOptional()
  @IsUlid('actorId must be a user id')
  actorId?: string;

  @IsOptional()
  @Matches(/^[a-z][a-z_.]*$/, { message: 'action must be an audit action such as wallet.freeze' })
  @Length(1, 64)
  action?: string;

  /** The entry's targetId: a user, transfer, merchant or outbox event id. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'targetId must be an id' })
  @Length(1, 64)
  targetId?: string;

  /** Entries at or after this instant. */
  @IsOptional()
  @IsString()
  @IsISO8601({ strict: true })
  @MaxLength(40)
  from?: string;

  /** Entries before this instant. */
  @IsOptional()
  @IsString()
  @IsISO8601({ strict: true })
  @MaxLength(40)
  to?: string;
}

export class OutboxEventParams {
  @IsUlid('id must be an event id')
  id!: string;
}

export class ActivityQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24)
  hours: number = 6;
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

/** `GET /admin/v2/users/:userId`: the user plus what they see of their own limits and bank accounts. */
export interface AdminUserDetail extends AdminUserView {
  limits: LimitsView;
  /** Masked as the owner sees them: the last four digits only. */
  bankAccounts: BankAccountView[];
}

export interface ReversalView {
  id: string;
  transferId: string;
  amount: number;
  reason: string;
  createdAt: string;
}
