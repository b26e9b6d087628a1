import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsUlid } from '@paychat/contracts';
import { Amount } from '../transfers/transfers.dto';
import { PageQuery } from '@paychat/platform';

export const REQUEST_STATUSES = ['pending', 'paid', 'declined', 'cancelled', 'expired'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export class CreateRequestDto {
  @IsUlid('payerId must be a user id')
  payerId!: string;

  @Amount()
  amount!: number;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  memo?: string;
}

export class RequestsQuery extends PageQuery {
  @IsIn(['incoming', 'outgoing'])
  role!: 'incoming' | 'outgoing';

  @IsOptional()
  @IsIn(REQUEST_STATUSES)
  status?: RequestStatus;
}

export interface RequestView {
  id: string;
  requesterId: string;
  payerId: string;
  amount: number;
  memo: string | null;
  status: RequestStatus;
  transferId: string | null;
  expiresAt: string;
  createdAt: string;
}
