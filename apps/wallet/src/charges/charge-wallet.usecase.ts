import { Injectable } from '@nestjs/common';
import { BankGateway } from '../bank/bank-gateway';
import type { WalletCaller } from '../callers/wallet-caller';
import { isLimitExceeded, Limits } from '../limits/limits';
import type { IdempotencyScope } from '../idempotency/idempotency-key.decorator';
import type { RailDto } from '../rails/rails.dto';
import { StartRailOperation } from '../rails/start-rail-operation';
import { ChargeSettlement } from './charge-settlement';
import { ChargeVoids } from './charge-voids';

/** Pulls money from the caller's verified bank account into their wallet. */
@Injectable()
export class ChargeWallet {
  constructor(
    private readonly rail: StartRailOperation,
    private readonly settlement: ChargeSettlement,
    private readonly bank: BankGateway,
    private readonly limits: Limits,
    private readonly voids: ChargeVoids,
  ) {}

  async execute(caller: WalletCaller, dto: RailDto, scope: IdempotencyScope) {
    let id: string | undefined;
    try {
      return await this.rail.execute(caller, dto, scope, {
        settlement: this.settlement,
        prepare: (m, _caller, row) => {
          id = row.id;
          return this.limits.assertCanReceive(m, caller.accountId, row.amount);
        },
        call: (ref, bankAccountId, amount) => this.bank.pull(ref, bankAccountId, amount),
      });
    } catch (err) {
      // Refused when settling: the bank has the money, give it back now that nothing is open
      // (a no-op if refused at the start; the recovery job retries a void the bank did not confirm).
      if (id && isLimitExceeded(err)) await this.voids.run(id);
      throw err;
    }
  }
}
