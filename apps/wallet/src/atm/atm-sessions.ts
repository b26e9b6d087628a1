import { createHash, randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@paychat/errors';
import type { WalletCaller } from '../callers/wallet-caller';
import { newId } from '../db/new-id';
import { selectOne, toSafeInt } from '../db/rows';
import type { Sql } from '../db/sql';
import { duplicateKeyName, isDuplicateKey } from '../db/sql-errors';
import { inTransaction } from '../db/transaction';
import type { IdempotencyScope } from '../idempotency/idempotency-key.decorator';
import { AlreadyApplied, IdempotentOperation } from '../idempotency/idempotent-operation';
import { OperationResult } from '../idempotency/operation-result';
import { joinAccountOf } from '../ledger/accounts.repository';
import { Ledger } from '../ledger/ledger';
import { isLimitExceeded, Limits } from '../limits/limits';
import type { AtmConfirmationDto, AtmConfirmationView, AtmSessionView, StartAtmDto } from './atm.dto';

const LIFETIME_MINUTES = 15;
const hash = (code: string) => createHash('sha256').update(code).digest('hex');

interface Row {
  id: string;
  kind: 'charge' | 'withdrawal';
  amount: string;
  status: AtmSessionView['status'];
  expires_at: Date;
  failure_reason: 'limit_exceeded' | null;
  account_id: string;
}

const COLUMNS = `s.id, s.kind, s.amount, s.status, s.expires_at, s.failure_reason, a.id AS account_id
  FROM atm_sessions s ${joinAccountOf('user', 's.initiator_id')}`;
const view = (r: Row): AtmSessionView => ({
  id: r.id,
  kind: r.kind,
  amount: toSafeInt(r.amount),
  status: r.status,
  expiresAt: new Date(r.expires_at).toISOString(),
});

/** What the network is told: a refused charge says why (the ATM gives the cash back). */
const confirmation = (r: Row): AtmConfirmationView => ({
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
        const code = await this.insert(m, caller, dto, id, scope.key);
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
        const row = (await selectOne<Row>(m, `SELECT ${COLUMNS} WHERE s.id = ?`, [id]))!;
        return new OperationResult(201, { ...view(row), code });
      },
      replay: async (m) => {
        const row = await selectOne<Row>(
          m,
          `SELECT ${COLUMNS} WHERE s.initiator_id = ? AND s.idempotency_key = ?`,
          [caller.userId, scope.key],
        );
        if (!row) throw new AppError('not_found');
        return new OperationResult(201, view(row));
      },
    });
  }

  /** The network's word on a code, applied once: a resent confirmation (same reference) gets the same answer. */
  confirm(dto: AtmConfirmationDto): Promise<AtmConfirmationView> {
    return inTransaction(this.dataSource, async (m) => {
      const seen = await selectOne<Row>(m, `SELECT ${COLUMNS} WHERE s.atm_reference = ?`, [dto.reference]);
      if (seen) return confirmation(seen);
      const row = await selectOne<Row>(
        m,
        `SELECT ${COLUMNS} WHERE s.code_hash = ? AND s.status = 'pending' AND s.expires_at > CURRENT_TIMESTAMP(3) FOR UPDATE`,
        [hash(dto.code)],
      );
      if (!row) throw new AppError('not_found', 'No live ATM session has this code');
      const approved = dto.outcome === 'approved';
      const refused = !(await this.settle(m, row, approved ? 'completed' : 'failed'));
      const status = approved && !refused ? 'completed' : 'failed';
      const reason = refused ? 'limit_exceeded' : null;
      await m.query(
        `UPDATE atm_sessions SET status = ?, failure_reason = ?, code_hash = NULL, atm_reference = ? WHERE id = ? AND status = 'pending'`,
        [status, reason, dto.reference, row.id],
      );
      return confirmation({ ...row, status, failure_reason: reason });
    });
  }

  /** The expiry job: unused codes die, and their withdrawal holds go back to the wallet. */
  expireDue(): Promise<number> {
    return inTransaction(this.dataSource, async (m) => {
      const rows = (await m.query(
        `SELECT ${COLUMNS} WHERE s.status = 'pending' AND s.expires_at <= CURRENT_TIMESTAMP(3) LIMIT 100 FOR UPDATE SKIP LOCKED`,
      )) as Row[];
      for (const row of rows) {
        await m.query(`UPDATE atm_sessions SET status = 'expired', code_hash = NULL WHERE id = ?`, [row.id]);
        await this.settle(m, row, 'expired');
      }
      return rows.length;
    });
  }

  /** Moves the money for a session's end; false if a charge would exceed the maximum balance (nothing moved). */
  private async settle(m: Sql, row: Row, status: 'completed' | 'failed' | 'expired'): Promise<boolean> {
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
  private async insert(
    m: Sql,
    caller: WalletCaller,
    dto: StartAtmDto,
    id: string,
    key: string,
  ): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
      try {
        await m.query(
          `INSERT INTO atm_sessions (id, initiator_id, idempotency_key, kind, amount, status, code_hash, expires_at)
           VALUES (?, ?, ?, ?, ?, 'pending', ?, CURRENT_TIMESTAMP(3) + INTERVAL ${LIFETIME_MINUTES} MINUTE)`,
          [id, caller.userId, key, dto.kind, dto.amount, hash(code)],
        );
        return code;
      } catch (err) {
        if (isDuplicateKey(err) && duplicateKeyName(err) === 'uq_atm_code' && attempt < 5) continue;
        if (isDuplicateKey(err)) throw new AlreadyApplied();
        throw err;
      }
    }
  }
}
