import type { Sql } from '../db/sql';
import type { BankOutcome } from '../bank/bank-gateway';
import type { OperationResult } from '../idempotency/operation-result';
import type { Rail } from './rail-rows';
import type { RailView } from './rail-view';

/**
 * Records the bank's answer for one operation, exactly once: the pending→final status change is a
 * conditional UPDATE, and money moves only if that UPDATE won. Called by the request that started
 * the operation and by the recovery job; whichever comes second just reads the result.
 */
export interface RailSettlement {
  readonly rail: Rail;
  settle(m: Sql, id: string, outcome: BankOutcome): Promise<OperationResult<RailView>>;
}
