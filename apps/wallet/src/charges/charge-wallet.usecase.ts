import { Injectable } from '@nestjs/common';
import type { Sql } from '../db/sql';
import { AppError } from '@paychat/errors';
import { BankGateway } from '../bank/bank-gateway';
import type { WalletCaller } from '../callers/wallet-caller';
import { selectOne, toSafeInt } from '../db/rows';
import type { KycLevel } from '../limits/kyc-limits';
import { Limits } from '../limits/limits';
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
    private readonly limits: Limits,
  ) {}

  execute(caller: WalletCaller, dto: RailDto, scope: IdempotencyScope) {
    return this.rail.execute(caller, dto, scope, {
      settlement: this.settlement,
      prepare: (m, _caller, row) => this.assertChargeable(m, caller, row.amount),
      call: (ref, bankAccountId, amount) => this.bank.pull(ref, bankAccountId, amount),
    });
  }

  /** Active wallet, and room under the per-operation limit and the maximum balance (KYC). */
  private async assertChargeable(m: Sql, caller: WalletCaller, amount: number): Promise<void> {
    const account = await selectOne<{ status: string; balance: string; kyc_level: KycLevel }>(
      m,
      'SELECT a.status, a.balance, u.kyc_level FROM accounts a JOIN users u ON u.id = a.owner_id WHERE a.id = ?',
      [caller.accountId],
    );
    if (account?.status !== 'active') throw new AppError('account_frozen');
    if (amount > this.limits.of(account.kyc_level).perOperation)
      throw new AppError('limit_exceeded', 'This would exceed your per-operation limit');
    this.limits.checkBalance(account.kyc_level, toSafeInt(account.balance) + amount);
  }
}
