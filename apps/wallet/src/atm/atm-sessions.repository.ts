import { Injectable } from '@nestjs/common';
import { selectOne } from '../db/rows';
import type { Sql } from '../db/sql';
import { duplicateKeyName, isDuplicateKey } from '../db/sql-errors';
import { AlreadyApplied } from '../idempotency/idempotent-operation';
import { joinAccountOf } from '../ledger/accounts.repository';
import type { AtmSessionView } from './atm.dto';

/** A session's code works this long; then the expiry job ends it. */
const LIFETIME_MINUTES = 15;

export interface AtmSessionRow {
  id: string;
  kind: 'charge' | 'withdrawal';
  amount: string;
  status: AtmSessionView['status'];
  expires_at: Date;
  failure_reason: 'limit_exceeded' | null;
  account_id: string;
}

export interface NewAtmSession {
  id: string;
  userId: string;
  key: string;
  kind: AtmSessionRow['kind'];
  amount: number;
  codeHash: string;
}

const COLUMNS = `s.id, s.kind, s.amount, s.status, s.expires_at, s.failure_reason, a.id AS account_id
  FROM atm_sessions s ${joinAccountOf('user', 's.initiator_id')}`;

/** The `atm_sessions` table (no other file writes it). Codes are stored only as their hash. */
@Injectable()
export class AtmSessionsRepository {
  /**
   * A pending session, its code live for LIFETIME_MINUTES. False if a live session already has
   * that code; AlreadyApplied if this key already started one.
   */
  async insert(m: Sql, s: NewAtmSession): Promise<boolean> {
    try {
      await m.query(
        `INSERT INTO atm_sessions (id, initiator_id, idempotency_key, kind, amount, status, code_hash, expires_at)
         VALUES (?, ?, ?, ?, ?, 'pending', ?, CURRENT_TIMESTAMP(3) + INTERVAL ${LIFETIME_MINUTES} MINUTE)`,
        [s.id, s.userId, s.key, s.kind, s.amount, s.codeHash],
      );
      return true;
    } catch (err) {
      if (isDuplicateKey(err) && duplicateKeyName(err) === 'uq_atm_code') return false;
      if (isDuplicateKey(err)) throw new AlreadyApplied();
      throw err;
    }
  }

  async byId(m: Sql, id: string): Promise<AtmSessionRow | undefined> {
    return selectOne<AtmSessionRow>(m, `SELECT ${COLUMNS} WHERE s.id = ?`, [id]);
  }

  async byKey(m: Sql, userId: string, key: string): Promise<AtmSessionRow | undefined> {
    return selectOne<AtmSessionRow>(
      m,
      `SELECT ${COLUMNS} WHERE s.initiator_id = ? AND s.idempotency_key = ?`,
      [userId, key],
    );
  }

  /** The session a confirmation with this network reference already ended, if any. */
  async byReference(m: Sql, reference: string): Promise<AtmSessionRow | undefined> {
    return selectOne<AtmSessionRow>(m, `SELECT ${COLUMNS} WHERE s.atm_reference = ?`, [reference]);
  }

  /** The live (pending, unexpired) session with this code, locked. */
  async liveByCode(m: Sql, codeHash: string): Promise<AtmSessionRow | undefined> {
    return selectOne<AtmSessionRow>(
      m,
      `SELECT ${COLUMNS} WHERE s.code_hash = ? AND s.status = 'pending' AND s.expires_at > CURRENT_TIMESTAMP(3) FOR UPDATE`,
      [codeHash],
    );
  }

  /** Up to `limit` pending sessions past their expiry, locked (those another job holds are skipped). */
  async expiredPending(m: Sql, limit: number): Promise<AtmSessionRow[]> {
    return (await m.query(
      `SELECT ${COLUMNS} WHERE s.status = 'pending' AND s.expires_at <= CURRENT_TIMESTAMP(3) LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
    )) as AtmSessionRow[];
  }

  /** Ends a pending session with the network's word; its code dies, the reference answers a resend. */
  async finish(
    m: Sql,
    id: string,
    end: { status: 'completed' | 'failed'; reason: 'limit_exceeded' | null; reference: string },
  ): Promise<void> {
    await m.query(
      `UPDATE atm_sessions SET status = ?, failure_reason = ?, code_hash = NULL, atm_reference = ? WHERE id = ? AND status = 'pending'`,
      [end.status, end.reason, end.reference, id],
    );
  }

  async expire(m: Sql, id: string): Promise<void> {
    await m.query(`UPDATE atm_sessions SET status = 'expired', code_hash = NULL WHERE id = ?`, [id]);
  }
}
