import { Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { classify } from '@paychat/errors';
import { Metrics } from '@paychat/telemetry';
import { onCommit } from '../db/commit-hooks';
import type { Sql } from '../db/sql';
import { isReplayedRefusal, type OperationResult } from '../idempotency/operation-result';
import type { JournalEntry } from './ledger.types';

/**
 * Entry kinds that move money, by the kind they are counted as. Holds, releases and opening
 * balances move none: a withdrawal counts once the bank or the ATM has paid it out.
 */
const MOVED_AS: Partial<Record<string, string>> = {
  transfer: 'transfer',
  payment: 'payment',
  charge: 'charge',
  withdrawal_paid: 'withdrawal',
  atm_charge: 'atm_charge',
  atm_withdrawal_paid: 'atm_withdrawal',
  reversal: 'reversal',
};

export type CountedOperation = 'transfers' | 'payments';

/**
 * Is money moving? Each transfer or payment request's answer by result, and the yen that moved,
 * counted at commit (a rolled-back or retried attempt never counts).
 */
@Injectable()
export class MoneyMetrics {
  private readonly answers: Record<CountedOperation, Counter<'result'>>;
  private readonly moved: Counter<'kind'>;

  constructor(metrics: Metrics) {
    const answers = (operation: CountedOperation, what: string) =>
      metrics.counter({
        name: `wallet_${operation}_total`,
        help: `${what} by result: completed, or the problem code of a refusal (replays are not counted)`,
        labelNames: ['result'],
      });
    this.answers = {
      transfers: answers('transfers', 'Transfer requests (direct, in a chat, paying a request)'),
      payments: answers('payments', 'Merchant payment requests'),
    };
    this.moved = metrics.counter({
      name: 'wallet_money_moved_yen_total',
      help: 'Yen moved by committed journal entries, by kind',
      labelNames: ['kind'],
    });
  }

  /**
   * Counts one request's answer once it settles: `completed`, or the code of its refusal. A replay
   * answers an earlier request (counted then), so it is not counted again.
   */
  countAnswer(operation: CountedOperation, answer: Promise<OperationResult<unknown>>): void {
    const count = (result: string) => this.answers[operation].inc({ result });
    answer.then(
      (result) => {
        if (!result.replayed) count('completed');
      },
      (err: unknown) => {
        if (!isReplayedRefusal(err)) count(classify(err)?.code ?? 'internal_error');
      },
    );
  }

  /** Counts the yen `entry` moves (the sum of its credits) once `tx` has committed. */
  countMovedAtCommit(tx: Sql, entry: JournalEntry): void {
    const kind = MOVED_AS[entry.kind];
    if (!kind) return;
    const yen = entry.legs.reduce((sum, leg) => sum + Math.max(0, leg.amount), 0);
    onCommit(tx, () => this.moved.inc({ kind }, yen));
  }
}
