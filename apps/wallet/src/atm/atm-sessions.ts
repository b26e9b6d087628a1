import { createHash, randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@paychat/errors';
import type { WalletCaller } from '../callers/wallet-caller';
import { newId } from '../db/new-id';
import { toSafeInt } from '../db/rows';
import type { Sql } from '../db/sql';
import { inTransaction } from '../db/transaction';
import type { IdempotencyScope } from '../idempotency/idempotency-key.decorator';
import { AlreadyApplied, IdempotentOperation } from '../idempotency/idempotent-operation';
import { OperationResult } from '../idempotency/operation-result';
import { Ledger } from '../ledger/ledger';
import { isLimitExceeded, Limits } from '../limits/limits';
import type { AtmConfirmationDto, AtmConfirmationView, AtmSessionView, StartAtmDto } from './atm.dto';
import { AtmSessionRow, AtmSessionsRepository, NewAtmSession } from './atm-sessions.repository';

/** Codes a session start tries before it gives up (each clash with a live code is one in 10⁸). */
const CODE_TRIES = 6;
const hash = (code: string) => createHash('sha256').update(code).digest('hex');

const view = (r: AtmSessionRow): AtmSessionView => ({
  id: r.id,
  kind: r.kind,
  amount: toSafeInt(r.amount),
  status: r.status,
  expiresAt: new Date(r.expires_at).toISOString(),
});

/** What the network is told: a refused charge says why (the ATM gives the cash back). */
const confirmation = (r: AtmSessionRow): AtmConfirmationView => ({
  ...view(r),
  ...(r.failure_reason ? { failureReason: r.failure_reason } : {}),
});

/**
 * ATM charges and withdrawals: the app starts a session with a one-time code; money moves only
 * when the ATM network confirms the code (AtmGateway: a signed /internal route). A withdrawal's
 * amount is held in-flight from the start and released if the network declines or the code expires.
 * A charge is credited only if the maximum balance allows it under the account lock; otherwise the
 * confirmation is answered as declined (`failed`, `limit_exceeded`).
 */
@Injectable()
export class AtmSessions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly idempotent: IdempotentOperation,
    private readonly ledger: Ledger,
    private readonly limits: Limits,
    private readonly sessions: AtmSessionsRepository,
  ) {}

  start(
    caller: WalletCaller,
    dto: StartAtmDto,
    scope: IdempotencyScope,
  ): Promise<OperationResult<AtmSessionView>> {
    return this.idempotent.execute(caller.userId, scope, dto, {
      run: async (m) => {
        if (dto.kind === 'charge') await this.limits.assertCanReceive(m, caller.accountId, dto.amount);
        const id = newId();
        const code = await this.insertWithFreshCode(m, {
          id,
          userId: caller.userId,
          key: scope.key,
          kind: dto.kind,
          amount: dto.amount,
        });
        if (dto.kind === 'withdrawal') {
          await this.ledger.post(m, {
            kind: 'atm_withdrawal_hold',
            opId: id,
            legs: [
              {
                accountId: caller.accountId,
                amount: -dto.amount,
                type: 'withdrawal',
                ifInactive: 'account_frozen',
                limit: 'outflow',
                requiresVerified: true,
              },
              { system: 'inflight_withdrawals', amount: dto.amount, type: 'withdrawal' },
            ],
          });
        }
        const row = (await this.sessions.byId(m, id))!;
        return new OperationResult(201, { ...view(row), code });
      },
      replay: async (m) => {
        const row = await this.sessions.byKey(m, caller.userId, scope.key);
        if (!row) throw new AppError('not_found');
        return new OperationResult(201, view(row));
      },
    });
  }

  /** The network's word on a code, applied once: a resent confirmation (same reference) gets the same answer. */
  confirm(dto: AtmConfirmationDto): Promise<AtmConfirmationView> {
    return inTransaction(this.dataSource, async (m) => {
      const seen = await this.sessions.byReference(m, dto.reference);
      if (seen) return confirmation(seen);
      const row = await this.sessions.liveByCode(m, hash(dto.code));
      if (!row) throw new AppError('not_found', 'No live ATM session has this code');
      const approved = dto.outcome === 'approved';
      const refused = !(await this.settle(m, row, approved ? 'completed' : 'failed'));
      const status = approved && !refused ? 'completed' : 'failed';
      const reason = refused ? 'limit_exceeded' : null;
      await this.sessions.finish(m, row.id, { status, reason, reference: dto.reference });
      return confirmation({ ...row, status, failure_reason: reason });
    });
  }

  /** The expiry job: unused codes die, and their withdrawal holds go back to the wallet. */
  expireDue(): Promise<number> {
    return inTransaction(this.dataSource, async (m) => {
      const rows = await this.sessions.expiredPending(m, 100);
      for (const row of rows) {
        await this.sessions.expire(m, row.id);
        await this.settle(m, row, 'expired');
      }
      return rows.length;
    });
  }

  /** Moves the money for a session's end; false if a charge would exceed the maximum balance (nothing moved). */
  private async settle(
    m: Sql,
    row: AtmSessionRow,
    status: 'completed' | 'failed' | 'expired',
  ): Promise<boolean> {
    const amount = toSafeInt(row.amount);
    if (row.kind === 'charge' && status === 'completed') {
      try {
        await this.ledger.post(m, {
          kind: 'atm_charge',
          opId: row.id,
          creditInactive: true,
          legs: [
            { system: 'atm_clearing', amount: -amount, type: 'charge' },
            {
              accountId: String(row.account_id),
              amount,
              type: 'charge',
              ifInactive: 'account_frozen',
              limit: 'balance',
            },
          ],
        });
      } catch (err) {
        if (isLimitExceeded(err)) return false;
        throw err;
      }
    } else if (row.kind === 'withdrawal') {
      const paidOut = status === 'completed';
      await this.ledger.post(m, {
        kind: paidOut ? 'atm_withdrawal_paid' : 'atm_withdrawal_released',
        opId: row.id,
        creditInactive: true,
        legs: paidOut
          ? [
              { system: 'inflight_withdrawals', amount: -amount, type: 'withdrawal' },
              { system: 'atm_clearing', amount, type: 'withdrawal' },
            ]
          : [
              { system: 'inflight_withdrawals', amount: -amount, type: 'withdrawal' },
              { accountId: String(row.account_id), amount, type: 'withdrawal', ifInactive: 'account_frozen' },
            ],
      });
    }
    return true;
  }

  /** Inserts the session with a fresh 8-digit code, unique among live sessions (retried on a clash). */
  private async insertWithFreshCode(m: Sql, session: Omit<NewAtmSession, 'codeHash'>): Promise<string> {
    for (let tries = 1; ; tries++) {
      const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
      if (await this.sessions.insert(m, { ...session, codeHash: hash(code) })) return code;
      if (tries >= CODE_TRIES) throw new AlreadyApplied();
    }
  }
}
