import { Injectable } from '@nestjs/common';
import type { Sql } from '../db/sql';
import type { BankOutcome } from '../bank/bank-gateway';
import { Ledger } from '../ledger/ledger';
import { RailRows } from '../rails/rail-rows';
import type { RailSettlement } from '../rails/rail-settlement';
import { railResult } from '../rails/rail-view';

/**
 * A withdrawal's money already sits in the in-flight account (it cannot be spent meanwhile).
 * Approved: in-flight → bank clearing. Declined: in-flight → back to the user.
 */
@Injectable()
export class WithdrawalSettlement implements RailSettlement {
  readonly rail = 'withdrawals' as const;

  constructor(
    private readonly rows: RailRows,
    private readonly ledger: Ledger,
  ) {}

  async settle(m: Sql, id: string, outcome: BankOutcome) {
    if (outcome.status === 'approved' && (await this.rows.finish(m, this.rail, id, 'completed'))) {
      const w = await this.rows.byId(m, this.rail, id);
      await this.ledger.post(m, {
        kind: 'withdrawal_paid',
        opId: id,
        legs: [
          { system: 'inflight_withdrawals', amount: -w.amount, type: 'withdrawal' },
          { system: 'bank_clearing', amount: w.amount, type: 'withdrawal' },
        ],
      });
    } else if (
      outcome.status === 'declined' &&
      (await this.rows.finish(m, this.rail, id, 'failed', outcome.reason))
    ) {
      const w = await this.rows.byId(m, this.rail, id);
      await this.ledger.post(m, {
        kind: 'withdrawal_released',
        opId: id,
        creditInactive: true,
        legs: [
          { system: 'inflight_withdrawals', amount: -w.amount, type: 'withdrawal' },
          { accountId: w.accountId, amount: w.amount, type: 'withdrawal', ifInactive: 'account_frozen' },
        ],
      });
    }
    return railResult(await this.rows.byId(m, this.rail, id));
  }
}
