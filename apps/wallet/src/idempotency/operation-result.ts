import { AppError } from '@paychat/errors';
import type { Sql } from '../db/sql';

/** Marks an answer (success or refusal) that repeats an earlier request's, sent for the same key. */
export const REPLAYED_HEADER = 'idempotent-replayed';

/** A refusal that repeats an earlier request's (counted, logged and audited back then). */
export const isReplayedRefusal = (err: unknown): boolean =>
  err instanceof AppError && err.headers?.[REPLAYED_HEADER] === 'true';

/** What a money operation answered: replayed verbatim (status and body) for the same key. */
export class OperationResult<T = unknown> {
  constructor(
    readonly status: number,
    readonly body: T,
    readonly replayed = false,
  ) {}
}

/** The problem fields stored for a failed operation (the requestId is the replaying request's own). */
export interface StoredProblem {
  status: number;
  problem: { code: string; detail?: string };
}

/**
 * An operation whose outcome depends on an external rail (the bank): the first transaction commits
 * a pending row and leaves the key in progress; `external` runs with no transaction open (no lock
 * across a network call); `settle` then records the outcome and completes the key atomically.
 */
export class Pending<T> {
  private constructor(
    readonly external: () => Promise<unknown>,
    readonly settle: (manager: Sql, outcome: unknown) => Promise<OperationResult<T>>,
  ) {}

  static of<T, X>(
    external: () => Promise<X>,
    settle: (manager: Sql, outcome: X) => Promise<OperationResult<T>>,
  ): Pending<T> {
    return new Pending<T>(external, (m, outcome) => settle(m, outcome as X));
  }
}
