import { Injectable } from '@nestjs/common';
import type { Sql } from '../db/sql';
import type { BankOutcome } from '../bank/bank-gateway';
import { Ledger } from '../ledger/ledger';
import { RailRows } from '../rails/rail-rows';
import type { RailSettlement } from '../rails/rail-settlement';
import { railResult } from '../rails/rail-view';

/** A charge credits nothing until the bank approves it; then bank clearing → the user's wallet. */
@Injectable()
export class ChargeSettlement implements RailSettlement {
  readonly rail = 'charges' as const;

  constructor(
    private readonly rows: RailRows,
    private readonly ledger: Ledger,
  ) {}

  async settle(m: Sql, id: string, outcome: BankOutcome) {
    if (outcome.status === 'approved' && (await this.rows.finish(m, this.rail, id, 'completed'))) {
      const charge = await this.rows.byId(m, this.rail, id);
      await this.ledger.post(m, {
        kind: 'charge',
        opId: id,
        // Started before a freeze? It still completes (DESIGN.md §6).
        creditInactive: true,
        legs: [
          { system: 'bank_clearing', amount: -charge.amount, type: 'charge' },
          {
            accountId: charge.accountId,
            amount: charge.amount,
            type: 'charge',
            ifInactive: 'account_frozen',
          },
        ],
      });
    } else if (outcome.status === 'declined') {
      await this.rows.finish(m, this.rail, id, 'failed', outcome.reason);
    }
    return railResult(await this.rows.byId(m, this.rail, id));
  }
}
