import { Injectable } from '@nestjs/common';
import type { Sql } from '../db/sql';
import { newId } from '../db/new-id';
import { AppError } from '@paychat/errors';
import type { WalletCaller } from '../callers/wallet-caller';
import { isDuplicateKey } from '../db/sql-errors';
import type { IdempotencyScope } from '../idempotency/idempotency-key.decorator';
import { AlreadyApplied, IdempotentOperation } from '../idempotency/idempotent-operation';
import { OperationResult } from '../idempotency/operation-result';
import { Ledger } from '../ledger/ledger';
import { MoneyMetrics } from '../ledger/money-metrics';
import { inOneRoundTrip } from '../db/statement';
import { MerchantsRepository } from './merchants.repository';
import type { PaymentDto, PaymentView } from './payments.dto';
import { PaymentsRepository } from './payments.repository';

/** Pays a store. A popular merchant's account is a hot row: every payment locks it (bench/ measures it). */
@Injectable()
export class PayMerchant {
  constructor(
    private readonly idempotent: IdempotentOperation,
    private readonly ledger: Ledger,
    private readonly merchants: MerchantsRepository,
    private readonly payments: PaymentsRepository,
    private readonly metrics: MoneyMetrics,
  ) {}

  execute(
    payer: WalletCaller,
    dto: PaymentDto,
    scope: IdempotencyScope,
  ): Promise<OperationResult<PaymentView>> {
    const answer = this.idempotent.execute(payer.userId, scope, dto, {
      run: (m) => this.pay(m, payer, dto, scope.key),
      replay: (m) => this.replay(m, payer, dto, scope.key),
    });
    this.metrics.countAnswer('payments', answer);
    return answer;
  }

  /** Four round trips: the merchant; the money row; the ledger's locks and checks; the entry's writes. */
  private async pay(
    m: Sql,
    payer: WalletCaller,
    dto: PaymentDto,
    key: string,
  ): Promise<OperationResult<PaymentView>> {
    const merchantAccountId = await this.merchants.accountOf(m, dto.merchantId);
    if (!merchantAccountId) throw new AppError('recipient_not_found', 'No such merchant');
    const createdAt = new Date();
    const view: PaymentView = {
      id: newId(),
      merchantId: dto.merchantId,
      amount: dto.amount,
      reference: dto.reference ?? null,
      createdAt: createdAt.toISOString(),
    };
    try {
      await inOneRoundTrip(m, [
        this.payments.insert({ ...view, initiatorId: payer.userId, idempotencyKey: key, createdAt }),
      ]);
    } catch (err) {
      if (isDuplicateKey(err)) throw new AlreadyApplied();
      throw err;
    }
    const posted = await this.ledger.post(m, {
      kind: 'payment',
      opId: view.id,
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
          accountId: merchantAccountId,
          amount: dto.amount,
          type: 'payment',
          counterpartyId: payer.userId,
          memo: dto.reference,
          ifInactive: 'recipient_unavailable',
        },
      ],
    });
    return new OperationResult(201, { ...view, balance: posted.get(payer.accountId)!.balanceAfter });
  }

  private async replay(
    m: Sql,
    payer: WalletCaller,
    dto: PaymentDto,
    key: string,
  ): Promise<OperationResult<PaymentView>> {
    const payment = await this.payments.byKey(m, payer.userId, key, payer.accountId);
    if (!payment) throw new AppError('not_found');
    if (
      payment.merchantId !== dto.merchantId ||
      payment.amount !== dto.amount ||
      payment.reference !== (dto.reference ?? null)
    ) {
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used for a different request');
    }
    return new OperationResult(201, payment);
  }
}
