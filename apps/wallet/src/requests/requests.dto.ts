import { IsIn, IsOptional } from 'class-validator';
import { IsUlid, type PaymentRequestChangedPayload, type PaymentRequestStatus } from '@paychat/contracts';
import { AmountAndMemoDto } from '../transfers/transfers.dto';
import { PageQuery } from '@paychat/platform';

export const REQUEST_STATUSES = ['pending', 'paid', 'declined', 'cancelled', 'expired'] as const;
export type RequestStatus = PaymentRequestStatus;

export class CreateRequestDto extends AmountAndMemoDto {
  @IsUlid('payerId must be a user id')
  payerId!: string;
}

export class RequestsQuery extends PageQuery {
  @IsIn(['incoming', 'outgoing'])
  role!: 'incoming' | 'outgoing';

  @IsOptional()
  @IsIn(REQUEST_STATUSES)
  status?: RequestStatus;
}

/** A request as its parties see it — and as the chat receives it (`payment_request.changed`). */
export type RequestView = PaymentRequestChangedPayload;
