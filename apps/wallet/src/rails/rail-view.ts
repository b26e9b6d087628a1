import { AppError } from '@paychat/errors';
import { OperationResult } from '../idempotency/operation-result';
import { limitExceeded } from '../limits/limits';
import type { RailRow } from './rail-rows';

export interface RailView {
  id: string;
  status: 'pending' | 'completed';
  amount: number;
  balance?: number;
}

/** 201 completed (with the balance after), 202 pending, or the stored 422 bank_declined / limit_exceeded. */
export function railResult(row: RailRow): OperationResult<RailView> {
  if (row.status === 'failed' && row.failureReason === 'limit_exceeded')
    throw limitExceeded('maximum balance');
  if (row.status === 'failed') throw new AppError('bank_declined', 'The bank declined this operation');
  if (row.status === 'pending')
    return new OperationResult(202, { id: row.id, status: 'pending', amount: row.amount });
  return new OperationResult(201, {
    id: row.id,
    status: 'completed',
    amount: row.amount,
    ...(row.balanceAfter != null ? { balance: row.balanceAfter } : {}),
  });
}
