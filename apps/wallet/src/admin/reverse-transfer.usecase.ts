import { Injectable } from '@nestjs/common';
import { AppError } from '@paychat/errors';
import { toSafeInt } from '../db/rows';
import { newId } from '../db/new-id';
import type { Sql } from '../db/sql';
import { duplicateKeyName, isDuplicateKey } from '../db/sql-errors';
import type { IdempotencyScope } from '../idempotency/idempotency-key.decorator';
import { AlreadyApplied, IdempotentOperation } from '../idempotency/idempotent-operation';
import { OperationResult } from '../idempotency/operation-result';
import { Ledger } from '../ledger/ledger';
import { inOneRoundTrip } from '../db/statement';
import type { ReversalView } from './admin.dto';
import { AdminContext, Audit } from './audit';
import { ReversalsRepository } from './reversals.repository';

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
    private readonly reversals: ReversalsRepository,
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
          const reversal = await this.reversals.byKey(m, who.actorId, scope.key);
          if (!reversal) throw new AppError('not_found');
          if (reversal.transferId !== transferId || reversal.reason !== reason)
            throw new AppError('idempotency_key_reused');
          return new OperationResult(201, reversal);
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
    const t = await this.reversals.transfer(m, transferId);
    if (!t) throw new AppError('not_found', 'No such transfer');
    const createdAt = new Date();
    const view: ReversalView = {
      id: newId(),
      transferId,
      amount: toSafeInt(t.amount),
      reason,
      createdAt: createdAt.toISOString(),
    };
    try {
      await inOneRoundTrip(m, [
        this.reversals.insert({ ...view, initiatorId: who.actorId, idempotencyKey: key, createdAt }),
      ]);
    } catch (err) {
      if (isDuplicateKey(err) && duplicateKeyName(err) === 'uq_reversals_transfer')
        throw new AppError('already_reversed');
      if (isDuplicateKey(err)) throw new AlreadyApplied();
      throw err;
    }
    await this.ledger.post(m, {
      kind: 'reversal',
      opId: view.id,
      allowNegative: true,
      ignoreStatus: true,
      legs: [
        {
          accountId: String(t.to_account),
          amount: -view.amount,
          type: 'reversal',
          counterpartyId: t.from_user_id,
          memo: reason,
          ifInactive: 'recipient_unavailable',
        },
        {
          accountId: String(t.from_account),
          amount: view.amount,
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
      details: { reason, reversalId: view.id },
    });
    return new OperationResult(201, view);
  }
}
