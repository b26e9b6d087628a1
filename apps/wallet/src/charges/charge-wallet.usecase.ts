import { Injectable } from '@nestjs/common';
import type { Sql } from '../db/sql';
import { AppError } from '@paychat/errors';
import { BankGateway } from '../bank/bank-gateway';
import type { WalletCaller } from '../callers/wallet-caller';
import { selectOne } from '../db/rows';
import type { IdempotencyScope } from '../idempotency/idempotency-key.decorator';
import type { RailDto } from '../rails/rails.dto';
import { StartRailOperation } from '../rails/start-rail-operation';
import { ChargeSettlement } from './charge-settlement';

/** Pulls money from the caller's verified bank account into their wallet. */
@Injectable()
export class ChargeWallet {
  constructor(
    private readonly rail: StartRailOperation,
    private readonly settlement: ChargeSettlement,
    private readonly bank: BankGateway,
  ) {}

  execute(caller: WalletCaller, dto: RailDto, scope: IdempotencyScope) {
    return this.rail.execute(caller, dto, scope, {
      settlement: this.settlement,
      prepare: (m) => this.assertActive(m, caller),
      call: (ref, bankAccountId, amount) => this.bank.pull(ref, bankAccountId, amount),
    });
  }

  private async assertActive(m: Sql, caller: WalletCaller): Promise<void> {
    const account = await selectOne<{ status: string }>(m, 'SELECT status FROM accounts WHERE id = ?', [
      caller.accountId,
    ]);
    if (account?.status !== 'active') throw new AppError('account_frozen');
  }
}
