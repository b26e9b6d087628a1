import { Injectable } from '@nestjs/common';
import { BankGateway } from '../bank/bank-gateway';
import type { WalletCaller } from '../callers/wallet-caller';
import type { IdempotencyScope } from '../idempotency/idempotency-key.decorator';
import { Ledger } from '../ledger/ledger';
import type { RailDto } from '../rails/rails.dto';
import { StartRailOperation } from '../rails/start-rail-operation';
import { WithdrawalSettlement } from './withdrawal-settlement';

/** Pays out to the caller's verified bank account; the amount is held in-flight before the bank is asked. */
@Injectable()
export class Withdraw {
  constructor(
    private readonly rail: StartRailOperation,
    private readonly settlement: WithdrawalSettlement,
    private readonly ledger: Ledger,
    private readonly bank: BankGateway,
  ) {}

  execute(caller: WalletCaller, dto: RailDto, scope: IdempotencyScope) {
    return this.rail.execute(caller, dto, scope, {
      settlement: this.settlement,
      prepare: async (m, _caller, row) => {
        await this.ledger.post(m, {
          kind: 'withdrawal_hold',
          opId: row.id,
          legs: [
            {
              accountId: caller.accountId,
              amount: -row.amount,
              type: 'withdrawal',
              ifInactive: 'account_frozen',
              limit: 'outflow',
              requiresVerified: true,
            },
            { system: 'inflight_withdrawals', amount: row.amount, type: 'withdrawal' },
          ],
        });
      },
      call: (ref, bankAccountId, amount) => this.bank.push(ref, bankAccountId, amount),
    });
  }
}
