import { Injectable } from '@nestjs/common';
import { AppError } from '@paychat/errors';
import { selectOne, toSafeInt } from '../db/rows';
import { newId } from '../db/new-id';
import type { Sql } from '../db/sql';
import { duplicateKeyName, isDuplicateKey } from '../db/sql-errors';
import type { IdempotencyScope } from '../idempotency/idempotency-key.decorator';
import { AlreadyApplied, IdempotentOperation } from '../idempotency/idempotent-operation';
import { OperationResult } from '../idempotency/operation-result';
import { joinAccountOf } from '../ledger/accounts.repository';
import { Ledger } from '../ledger/ledger';
import { AdminContext, Audit } from './audit';

export interface ReversalView {
  id: string;
  transferId: string;
  amount: number;
  reason: string;
  createdAt: string;
}

interface TransferRow {
  from_user_id: string;
  to_user_id: string;
  amount: string;
  from_account: string;
  to_account: string;
}

/**
 * Undoes a transfer with compensating postings, at most once (UNIQUE transfer_id → 409
 * already_reversed). Allowed when the recipient is frozen or has spent the money: their account may
 * go negative, and every debit is then refused until it is back at zero or above.
 */
@Injectable()
export class ReverseTransfer {
  constructor(
    private readonly idempotent: IdempotentOperation,
    private readonly ledger: Ledger,
    private readonly audit: Audit,
  ) {}

  execute(
    who: AdminContext,
    transferId: string,
    reason: string,
    scope: IdempotencyScope,
  ): Promise<OperationResult<ReversalView>> {
    return this.idempotent.execute(
      who.actorId,
      scope,
      { transferId, reason },
      {
        run: (m) => this.reverse(m, who, transferId, reason, scope.key),
        replay: async (m) => {
          const row = await selectOne<{
            id: string;
            transfer_id: string;
            amount: string;
            reason: string;
            created_at: Date;
          }>(
            m,
            'SELECT id, transfer_id, amount, reason, created_at FROM reversals WHERE initiator_id = ? AND idempotency_key = ?',
            [who.actorId, scope.key],
          );
          if (!row) throw new AppError('not_found');
          if (row.transfer_id !== transferId || row.reason !== reason)
            throw new AppError('idempotency_key_reused');
          return new OperationResult(201, {
            id: row.id,
            transferId,
            amount: toSafeInt(row.amount),
            reason,
            createdAt: new Date(row.created_at).toISOString(),
          });
        },
      },
    );
  }

  private async reverse(
    m: Sql,
    who: AdminContext,
    transferId: string,
    reason: string,
    key: string,
  ): Promise<OperationResult<ReversalView>> {
    const t = await selectOne<TransferRow>(
      m,
      `SELECT t.from_user_id, t.to_user_id, t.amount, fa.id AS from_account, ta.id AS to_account FROM transfers t
       ${joinAccountOf('user', 't.from_user_id', 'fa')}
       ${joinAccountOf('user', 't.to_user_id', 'ta')} WHERE t.id = ?`,
      [transferId],
    );
    if (!t) throw new AppError('not_found', 'No such transfer');
    const id = newId();
    const amount = toSafeInt(t.amount);
    const createdAt = new Date();
    try {
      await m.query(
        'INSERT INTO reversals (id, initiator_id, idempotency_key, transfer_id, amount, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [id, who.actorId, key, transferId, amount, reason, createdAt],
      );
    } catch (err) {
      if (isDuplicateKey(err) && duplicateKeyName(err) === 'uq_reversals_transfer')
        throw new AppError('already_reversed');
      if (isDuplicateKey(err)) throw new AlreadyApplied();
      throw err;
    }
    await this.ledger.post(m, {
      kind: 'reversal',
      opId: id,
      allowNegative: true,
      ignoreStatus: true,
      legs: [
        {
          accountId: String(t.to_account),
          amount: -amount,
          type: 'reversal',
          counterpartyId: t.from_user_id,
          memo: reason,
          ifInactive: 'recipient_unavailable',
        },
        {
          accountId: String(t.from_account),
          amount,
          type: 'reversal',
          counterpartyId: t.to_user_id,
          memo: reason,
          ifInactive: 'account_frozen',
        },
      ],
    });
    await this.audit.record(m, who, {
      action: 'transfer.reverse',
      targetType: 'transfer',
      targetId: transferId,
      details: { reason, reversalId: id },
    });
    return new OperationResult(201, { id, transferId, amount, reason, createdAt: createdAt.toISOString() });
  }
}
