import { Injectable } from '@nestjs/common';
import type { Sql } from '../db/sql';
import { newId } from '../db/new-id';
import { AppError } from '@paychat/errors';
import type { WalletCaller } from '../callers/wallet-caller';
import { selectOne, toSafeInt } from '../db/rows';
import { isDuplicateKey } from '../db/sql-errors';
import type { IdempotencyScope } from '../idempotency/idempotency-key.decorator';
import { AlreadyApplied, IdempotentOperation } from '../idempotency/idempotent-operation';
import { OperationResult } from '../idempotency/operation-result';
import { joinAccountOf } from '../ledger/accounts.repository';
import { Ledger } from '../ledger/ledger';
import type { PaymentDto, PaymentView } from './payments.dto';

/** Pays a store. A popular merchant's account is a hot row: every payment locks it (bench/ measures it). */
@Injectable()
export class PayMerchant {
  constructor(
    private readonly idempotent: IdempotentOperation,
    private readonly ledger: Ledger,
  ) {}

  execute(
    payer: WalletCaller,
    dto: PaymentDto,
    scope: IdempotencyScope,
  ): Promise<OperationResult<PaymentView>> {
    return this.idempotent.execute(payer.userId, scope, dto, {
      run: (m) => this.pay(m, payer, dto, scope.key),
      replay: (m) => this.replay(m, payer, dto, scope.key),
    });
  }

  private async pay(
    m: Sql,
    payer: WalletCaller,
    dto: PaymentDto,
    key: string,
  ): Promise<OperationResult<PaymentView>> {
    const merchant = await selectOne<{ account_id: string }>(
      m,
      `SELECT a.id AS account_id FROM merchants mc ${joinAccountOf('merchant', 'mc.id')} WHERE mc.id = ?`,
      [dto.merchantId],
    );
    if (!merchant) throw new AppError('recipient_not_found', 'No such merchant');
    const id = newId();
    const createdAt = new Date();
    try {
      await m.query(
        'INSERT INTO payments (id, initiator_id, idempotency_key, merchant_id, amount, reference, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [id, payer.userId, key, dto.merchantId, dto.amount, dto.reference ?? null, createdAt],
      );
    } catch (err) {
      if (isDuplicateKey(err)) throw new AlreadyApplied();
      throw err;
    }
    const posted = await this.ledger.post(m, {
      kind: 'payment',
      opId: id,
      legs: [
        {
          accountId: payer.accountId,
          amount: -dto.amount,
          type: 'payment',
          counterpartyId: dto.merchantId,
          memo: dto.reference,
          ifInactive: 'account_frozen',
          limit: 'outflow',
        },
        {
          accountId: String(merchant.account_id),
          amount: dto.amount,
          type: 'payment',
          counterpartyId: payer.userId,
          memo: dto.reference,
          ifInactive: 'recipient_unavailable',
        },
      ],
    });
    const view = {
      id,
      merchantId: dto.merchantId,
      amount: dto.amount,
      reference: dto.reference ?? null,
      createdAt: createdAt.toISOString(),
    };
    return new OperationResult(201, { ...view, balance: posted.get(payer.accountId)!.balanceAfter });
  }

  private async replay(
    m: Sql,
    payer: WalletCaller,
    dto: PaymentDto,
    key: string,
  ): Promise<OperationResult<PaymentView>> {
    const row = await selectOne<{
      id: string;
      merchant_id: string;
      amount: string;
      reference: string | null;
      created_at: Date;
      balance_after: string;
    }>(
      m,
      `SELECT py.id, py.merchant_id, py.amount, py.reference, py.created_at, p.balance_after FROM payments py
       JOIN postings p ON p.op_id = py.id AND p.account_id = ? WHERE py.initiator_id = ? AND py.idempotency_key = ?`,
      [payer.accountId, payer.userId, key],
    );
    if (!row) throw new AppError('not_found');
    if (
      row.merchant_id !== dto.merchantId ||
      toSafeInt(row.amount) !== dto.amount ||
      row.reference !== (dto.reference ?? null)
    ) {
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used for a different request');
    }
    return new OperationResult(201, {
      id: row.id,
      merchantId: row.merchant_id,
      amount: toSafeInt(row.amount),
      reference: row.reference,
      createdAt: new Date(row.created_at).toISOString(),
      balance: toSafeInt(row.balance_after),
    });
  }
}
