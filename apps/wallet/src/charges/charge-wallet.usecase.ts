import { Injectable } from '@nestjs/common';
import { BankGateway } from '../bank/bank-gateway';
import type { WalletCaller } from '../callers/wallet-caller';
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
      prepare: (m, _caller, row) => this.limits.assertCanReceive(m, caller.accountId, row.amount),
      call: (ref, bankAccountId, amount) => this.bank.pull(ref, bankAccountId, amount),
    });
  }
}
