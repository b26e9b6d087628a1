import { Injectable } from '@nestjs/common';
import { directConversationId } from '@paychat/contracts';
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
import { Outbox } from '../outbox/outbox';
import { Parties, type Party } from '../users/parties';
import type { TransferDto, TransferView } from './transfers.dto';
import { TransfersRepository, toTransferView } from './transfers.repository';

export interface TransferCommand {
  from: WalletCaller;
  toUserId: string;
  amount: number;
  memo?: string;
  /** Preassigned by an operation that must name the transfer before it exists (a paid request). */
  id?: string;
}

/** Pays another user: one transaction moving money, writing the money row and the chat event. */
@Injectable()
export class TransferFunds {
  constructor(
    private readonly idempotent: IdempotentOperation,
    private readonly ledger: Ledger,
    private readonly parties: Parties,
    private readonly outbox: Outbox,
    private readonly transfers: TransfersRepository,
    private readonly metrics: MoneyMetrics,
  ) {}

  execute(
    cmd: TransferCommand,
    scope: IdempotencyScope,
    body: TransferDto,
  ): Promise<OperationResult<TransferView>> {
    const answer = this.idempotent.execute(cmd.from.userId, scope, body, {
      run: (m) => this.transfer(m, cmd, scope.key),
      replay: (m) => this.replay(m, cmd, scope.key),
    });
    this.metrics.countAnswer('transfers', answer);
    return answer;
  }

  /**
   * Also used by other operations that end in a P2P transfer (chat transfers, paid requests). Three
   * round trips: the recipient with the money row; the ledger's locks and checks; the entry's
   * writes with the chat event. A refusal throws before the last, and the savepoint undoes the rest.
   */
  async transfer(m: Sql, cmd: TransferCommand, key: string): Promise<OperationResult<TransferView>> {
    if (cmd.toUserId === cmd.from.userId)
      throw new AppError('self_transfer', 'You cannot send money to yourself');
    const createdAt = new Date();
    const view: TransferView = {
      id: cmd.id ?? newId(),
      fromUserId: cmd.from.userId,
      toUserId: cmd.toUserId,
      amount: cmd.amount,
      memo: cmd.memo ?? null,
      createdAt: createdAt.toISOString(),
    };
    const to = await this.recipientWithMoneyRow(m, view, key, createdAt);
    const entry = await this.ledger.prepare(m, {
      kind: 'transfer',
      opId: view.id,
      legs: [
        {
          accountId: cmd.from.accountId,
          amount: -cmd.amount,
          type: 'transfer_out',
          counterpartyId: to.userId,
          memo: cmd.memo,
          ifInactive: 'account_frozen',
          limit: 'outflow',
        },
        {
          accountId: to.accountId,
          amount: cmd.amount,
          type: 'transfer_in',
          counterpartyId: cmd.from.userId,
          memo: cmd.memo,
          ifInactive: 'recipient_unavailable',
          limit: 'balance',
        },
      ],
    });
    const event = this.outbox.insert(m, {
      topic: 'transfer.created',
      aggregateId: view.id,
      version: 1,
      orderingKey: directConversationId(cmd.from.userId, cmd.toUserId),
      // The chat shows when the money moved, not when the message was delivered.
      occurredAt: createdAt,
      payload: { ...view },
    });
    await inOneRoundTrip(m, [...entry.writes, event]);
    return new OperationResult(201, { ...view, balance: entry.posted.get(cmd.from.accountId)!.balanceAfter });
  }

  /**
   * The money row rides with the recipient's lookup: if the recipient is missing or disabled, the
   * refusal's savepoint rollback undoes it. A row already there for this key is an earlier request's.
   */
  private async recipientWithMoneyRow(
    m: Sql,
    view: TransferView,
    key: string,
    createdAt: Date,
  ): Promise<Party> {
    const moneyRow = this.transfers.insert({
      ...view,
      initiatorId: view.fromUserId,
      idempotencyKey: key,
      createdAt,
    });
    let results: unknown[];
    try {
      results = (await inOneRoundTrip(m, [this.parties.lookup(view.toUserId), moneyRow])) as unknown[];
    } catch (err) {
      if (isDuplicateKey(err)) throw new AlreadyApplied();
      throw err;
    }
    return this.parties.recipientFrom(view.toUserId, results[0]);
  }

  /** The transfer a key created (with the sender's balance after it), for replays. */
  async replayByKey(m: Sql, from: WalletCaller, key: string): Promise<TransferView> {
    const row = await this.transfers.byKey(m, from.userId, key);
    if (!row) throw new AppError('not_found');
    return toTransferView(row, true);
  }

  private async replay(m: Sql, cmd: TransferCommand, key: string): Promise<OperationResult<TransferView>> {
    const row = await this.transfers.byKey(m, cmd.from.userId, key);
    if (!row) throw new AppError('not_found');
    const view = toTransferView(row, true);
    if (
      view.toUserId !== cmd.toUserId ||
      view.amount !== cmd.amount ||
      (view.memo ?? undefined) !== cmd.memo
    ) {
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used for a different request');
    }
    return new OperationResult(201, view);
  }
}
