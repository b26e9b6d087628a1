import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@paychat/errors';
import type { WalletCaller } from '../callers/wallet-caller';
import { newId } from '../db/new-id';
import { inTransaction } from '../db/transaction';
import type { IdempotencyScope } from '../idempotency/idempotency-key.decorator';
import { IdempotentOperation } from '../idempotency/idempotent-operation';
import { OperationResult } from '../idempotency/operation-result';
import { MoneyMetrics } from '../ledger/money-metrics';
import { TransferFunds } from '../transfers/transfer-funds.usecase';
import type { TransferView } from '../transfers/transfers.dto';
import { Parties } from '../users/parties';
import { ChatRelations } from './chat-relations';
import type { CreateRequestDto, RequestView } from './requests.dto';
import { RequestsRepository, toRequestView } from './requests.repository';

const LIFETIME_DAYS = 7;

/**
 * Payment requests: ask someone you share a chat with (and neither has blocked the other) for
 * money — asked of the messages service before the transaction, so no lock waits on it; they pay (at most once, even from two devices with
 * two keys at once: the pay is a conditional update in the same transaction as the transfer),
 * decline, or let it expire; the requester may cancel. Every change writes a versioned event.
 */
@Injectable()
export class PaymentRequests {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: RequestsRepository,
    private readonly parties: Parties,
    private readonly idempotent: IdempotentOperation,
    private readonly transferFunds: TransferFunds,
    private readonly relations: ChatRelations,
    private readonly metrics: MoneyMetrics,
  ) {}

  async create(requester: WalletCaller, dto: CreateRequestDto): Promise<RequestView> {
    if (dto.payerId === requester.userId)
      throw new AppError('self_transfer', 'You cannot ask yourself for money');
    await this.relations.assertMayAsk(requester.userId, dto.payerId);
    return inTransaction(this.dataSource, async (m) => {
      await this.parties.recipient(m, dto.payerId);
      const id = newId();
      await this.requests.create(m, { id, requesterId: requester.userId, ...dto }, LIFETIME_DAYS);
      const row = await this.requests.visible(m, id, requester.userId);
      const { sql, params } = this.requests.event(m, row);
      await m.query(sql, params);
      return toRequestView(row);
    });
  }

  pay(
    payer: WalletCaller,
    id: string,
    scope: IdempotencyScope,
  ): Promise<OperationResult<{ request: RequestView; transfer: TransferView }>> {
    const answer = this.idempotent.execute(
      payer.userId,
      scope,
      { requestId: id },
      {
        run: async (m) => {
          const row = await this.requests.visible(m, id, payer.userId);
          if (row.payer_id !== payer.userId) throw new AppError('not_found', 'No such request');
          // The conditional update first: a second device paying at the same moment waits on this row,
          // then finds it paid (409); a failed transfer rolls both back and the request stays pending.
          const transferId = newId();
          const request = await this.requests.transition(m, id, 'paid', { transferId });
          const transfer = await this.transferFunds.transfer(
            m,
            {
              from: payer,
              toUserId: row.requester_id,
              amount: Number(row.amount),
              memo: row.memo ?? undefined,
              id: transferId,
            },
            scope.key,
          );
          return new OperationResult(201, { request, transfer: transfer.body });
        },
        replay: async (m) => {
          const row = await this.requests.visible(m, id, payer.userId);
          const transfer = await this.transferFunds.replayByKey(m, payer, scope.key);
          if (row.transfer_id !== transfer.id) throw new AppError('idempotency_key_reused');
          return new OperationResult(201, { request: toRequestView(row), transfer });
        },
      },
    );
    // Paying a request is a transfer: counted with them.
    this.metrics.countAnswer('transfers', answer);
    return answer;
  }

  /** decline: the payer; cancel: the requester. */
  answer(caller: WalletCaller, id: string, to: 'declined' | 'cancelled'): Promise<RequestView> {
    return inTransaction(this.dataSource, async (m) => {
      const row = await this.requests.visible(m, id, caller.userId);
      const allowed = to === 'declined' ? row.payer_id : row.requester_id;
      if (allowed !== caller.userId)
        throw new AppError(
          'forbidden',
          to === 'declined' ? 'Only the payer can decline' : 'Only the requester can cancel',
        );
      return this.requests.transition(m, id, to);
    });
  }

  /** The expiry job: a batch of overdue requests, skipping any a payer is paying right now. */
  expireDue(): Promise<number> {
    return inTransaction(this.dataSource, async (m) => {
      const ids = await this.requests.expired(m, 100);
      for (const id of ids) await this.requests.transition(m, id, 'expired');
      return ids.length;
    });
  }
}
