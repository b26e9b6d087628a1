import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Sql } from '../db/sql';
import { AppError, ProblemCode } from '@paychat/errors';
import { isDuplicateKey, isLockTimeout } from '../db/sql-errors';
import { discardCommitHooks } from '../db/commit-hooks';
import { inTransaction } from '../db/transaction';
import type { Statement } from '../db/statement';
import { canonicalHash, IdempotencyScope } from './idempotency-key.decorator';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';
import { OperationResult, Pending, REPLAYED_HEADER, StoredProblem } from './operation-result';

/** Thrown by an operation whose money row already exists for this key (its cached response expired). */
export class AlreadyApplied extends Error {}

export interface Operation<T> {
  /** Runs the business step inside the transaction, after the key row is claimed. */
  run(manager: Sql): Promise<OperationResult<T> | Pending<T>>;
  /**
   * Answers from the money row: when the key's cached response expired, or while a two-phase
   * operation is still in progress (then it reports the current state, e.g. 202 pending).
   */
  replay(manager: Sql): Promise<OperationResult<T>>;
}

type Outcome<T> = OperationResult<T> | StoredProblem;

class KeyTaken extends Error {}

/**
 * Exactly-once money operations. In one transaction: claim the key row first
 * (a concurrent duplicate waits on it, then replays), SAVEPOINT, run the business step; a business
 * failure rolls back to the savepoint and is stored as the answer too. Deadlocks retry whole.
 */
@Injectable()
export class IdempotentOperation {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: IdempotencyKeysRepository,
  ) {}

  async execute<T>(
    userId: string,
    scope: IdempotencyScope,
    body: unknown,
    operation: Operation<T>,
  ): Promise<OperationResult<T>> {
    const bodyHash = canonicalHash(body);
    let first: Outcome<T> | Pending<T>;
    try {
      first = await inTransaction(
        this.dataSource,
        async (tx) => {
          await this.claim(tx, userId, scope, bodyHash);
          const result = await this.attempt(tx, () => operation.run(tx), operation);
          // A pending operation's key stays in progress until its rail answers.
          await tx.commit(result instanceof Pending ? undefined : this.completion(userId, scope, result));
          return result;
        },
        { keyed: true },
      );
    } catch (err) {
      if (err instanceof KeyTaken) return this.answerFromKey(userId, scope, bodyHash, operation);
      throw err;
    }
    if (!(first instanceof Pending)) return this.deliver(first, false);
    const pending = first;
    const external = await pending.external();
    // The bank's answer is final whatever it says: a decline is recorded, not rolled back.
    const settled = await inTransaction(
      this.dataSource,
      async (tx) => {
        let result: Outcome<T>;
        try {
          result = await pending.settle(tx, external);
        } catch (err) {
          result = asStoredProblem(err);
        }
        await tx.commit(this.completion(userId, scope, result));
        return result;
      },
      { keyed: true },
    );
    return this.deliver(settled, false);
  }

  /** Completing the key: it travels with the COMMIT, in the transaction's last round trip. */
  private completion<T>(userId: string, scope: IdempotencyScope, result: Outcome<T>): Statement {
    return this.keys.complete(userId, scope.key, result.status, JSON.stringify(result));
  }

  /** The key's claim and the operation's SAVEPOINT, in one round trip. */
  private async claim(m: Sql, userId: string, scope: IdempotencyScope, bodyHash: string): Promise<void> {
    const claim = this.keys.claim(userId, scope, bodyHash);
    try {
      await m.query(`${claim.sql}; SAVEPOINT operation`, claim.params);
    } catch (err) {
      if (isDuplicateKey(err)) throw new KeyTaken();
      // Waited the whole lock timeout on a duplicate that is still running.
      if (isLockTimeout(err)) throw new AppError('idempotency_key_in_use');
      throw err;
    }
  }

  private async attempt<T>(
    m: Sql,
    step: () => Promise<OperationResult<T> | Pending<T>>,
    operation: Operation<T>,
  ): Promise<Outcome<T> | Pending<T>> {
    try {
      return await step();
    } catch (err) {
      if (err instanceof AlreadyApplied) {
        await this.rollbackOperation(m);
        // The money row exists from an earlier request whose cached answer expired: a replay.
        return this.attempt(m, async () => markReplayed(await operation.replay(m)), operation);
      }
      const problem = asStoredProblem(err);
      await this.rollbackOperation(m);
      return problem;
    }
  }

  /** Undoes the business step, and with it anything it meant to do after commit (its outbox events). */
  private async rollbackOperation(m: Sql): Promise<void> {
    await m.query('ROLLBACK TO SAVEPOINT operation');
    discardCommitHooks(m);
  }

  private async answerFromKey<T>(
    userId: string,
    scope: IdempotencyScope,
    bodyHash: string,
    operation: Operation<T>,
  ): Promise<OperationResult<T>> {
    const row = await this.keys.find(this.dataSource.manager, userId, scope.key);
    if (!row) throw new AppError('idempotency_key_in_use'); // purged between our insert and read: retry
    if (row.method !== scope.method || row.path !== scope.path || row.body_hash !== bodyHash) {
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used for a different request');
    }
    if (row.state === 'completed' && row.response)
      return this.deliver(JSON.parse(row.response) as Outcome<T>, true);
    // A two-phase operation still waiting on its rail: report the money row's current state.
    try {
      return this.deliver(await operation.replay(this.dataSource.manager), true);
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') throw new AppError('idempotency_key_in_use');
      throw err;
    }
  }

  private deliver<T>(outcome: Outcome<T>, replayed: boolean): OperationResult<T> {
    const headers = replayed ? { [REPLAYED_HEADER]: 'true' } : undefined;
    if ('problem' in outcome) {
      throw new AppError(outcome.problem.code as ProblemCode, outcome.problem.detail, undefined, headers);
    }
    return new OperationResult(outcome.status, outcome.body, replayed || outcome.replayed);
  }
}

const markReplayed = <T>(r: OperationResult<T>) => new OperationResult(r.status, r.body, true);

/** A business refusal (4xx other than 400) is an answer to store; anything else propagates. */
function asStoredProblem(err: unknown): StoredProblem {
  if (err instanceof AppError && err.status !== 400 && err.status < 500) {
    return { status: err.status, problem: { code: err.code, detail: err.detail } };
  }
  throw err;
}
