import { Inject, Injectable } from '@nestjs/common';
import type { Sql } from '../db/sql';
import { newId } from '../db/new-id';
import { APP_CONFIG } from '@paychat/platform';
import { BankAccountsRepository } from '../bank-accounts/bank-accounts.repository';
import { callBank } from '../bank/bank-calls';
import type { BankOutcome } from '../bank/bank-gateway';
import type { WalletCaller } from '../callers/wallet-caller';
import type { IdempotencyScope } from '../idempotency/idempotency-key.decorator';
import { IdempotentOperation } from '../idempotency/idempotent-operation';
import { OperationResult, Pending } from '../idempotency/operation-result';
import type { WalletEnv } from '../wallet.env';
import type { RailDto } from './rails.dto';
import { RailRows } from './rail-rows';
import type { RailSettlement } from './rail-settlement';
import { railResult, RailView } from './rail-view';

export interface RailSpec {
  settlement: RailSettlement;
  /** Checks and holds inside the first transaction, after the pending row exists. */
  prepare(m: Sql, caller: WalletCaller, row: { id: string; amount: number }): Promise<void>;
  /** The bank call, with our operation id as its reference. */
  call(ref: string, bankAccountId: string, amount: number): Promise<BankOutcome>;
}

/**
 * The shared life of a charge or withdrawal: (1) one transaction claims the key, writes the
 * pending row and holds what must be held; (2) the bank is called with no transaction open;
 * (3) one transaction records the answer and completes the key — or leaves it pending (202).
 */
@Injectable()
export class StartRailOperation {
  constructor(
    private readonly idempotent: IdempotentOperation,
    private readonly rows: RailRows,
    private readonly bankAccounts: BankAccountsRepository,
    @Inject(APP_CONFIG) private readonly config: WalletEnv,
  ) {}

  execute(
    caller: WalletCaller,
    dto: RailDto,
    scope: IdempotencyScope,
    spec: RailSpec,
  ): Promise<OperationResult<RailView>> {
    const rail = spec.settlement.rail;
    return this.idempotent.execute(caller.userId, scope, dto, {
      run: async (m) => {
        await this.bankAccounts.usable(m, caller.userId, dto.bankAccountId);
        const id = newId();
        await this.rows.insertPending(m, rail, {
          id,
          userId: caller.userId,
          key: scope.key,
          bankAccountId: dto.bankAccountId,
          amount: dto.amount,
        });
        await spec.prepare(m, caller, { id, amount: dto.amount });
        return Pending.of(
          () => callBank(() => spec.call(id, dto.bankAccountId, dto.amount), this.config.BANK_TIMEOUT_MS),
          (m2, outcome: BankOutcome) => spec.settlement.settle(m2, id, outcome),
        );
      },
      replay: async (m) => {
        const row = await this.rows.byKey(m, rail, caller.userId, scope.key);
        if (!row) throw new Error('no money row for this key');
        return railResult(row);
      },
    });
  }
}
