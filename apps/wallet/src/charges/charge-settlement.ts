import { Injectable } from '@nestjs/common';
import type { Sql } from '../db/sql';
import type { BankOutcome } from '../bank/bank-gateway';
import { Ledger } from '../ledger/ledger';
import { isLimitExceeded } from '../limits/limits';
import { RailRows } from '../rails/rail-rows';
import type { RailSettlement } from '../rails/rail-settlement';
import { railResult } from '../rails/rail-view';
import { ChargeVoids } from './charge-voids';

/**
 * A charge credits nothing until the bank approves it; then bank clearing → the user's wallet,
 * unless that would exceed the maximum balance (checked under the account lock, so concurrent
 * charges count one after another): then the charge fails and the bank is owed a void.
 */
@Injectable()
export class ChargeSettlement implements RailSettlement {
  readonly rail = 'charges' as const;

  constructor(
    private readonly rows: RailRows,
    private readonly ledger: Ledger,
    private readonly voids: ChargeVoids,
  ) {}

  async settle(m: Sql, id: string, outcome: BankOutcome) {
    if (outcome.status === 'approved' && (await this.rows.finish(m, this.rail, id, 'completed'))) {
      const charge = await this.rows.byId(m, this.rail, id);
      try {
        await this.ledger.post(m, {
          kind: 'charge',
          opId: id,
          // Started before a freeze? It still completes: a freeze stops new operations, not pending ones.
          creditInactive: true,
          legs: [
            { system: 'bank_clearing', amount: -charge.amount, type: 'charge' },
            {
              accountId: charge.accountId,
              amount: charge.amount,
              type: 'charge',
              ifInactive: 'account_frozen',
              limit: 'balance',
            },
          ],
        });
      } catch (err) {
        if (!isLimitExceeded(err)) throw err;
        await this.voids.owe(m, id); // refused before anything was posted
      }
    } else if (outcome.status === 'declined') {
      await this.rows.finish(m, this.rail, id, 'failed', outcome.reason);
    }
    return railResult(await this.rows.byId(m, this.rail, id));
  }
}
