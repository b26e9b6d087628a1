import { Injectable } from '@nestjs/common';
import { selectOne, toSafeInt } from '../db/rows';
import type { Sql } from '../db/sql';
import type { Statement } from '../db/statement';
import { joinAccountOf } from '../ledger/accounts.repository';
import type { ReversalView } from './admin.dto';

/** A reversal as it is written: UNIQUE(transfer_id), so a transfer is reversed at most once. */
export interface NewReversal extends Omit<ReversalView, 'createdAt'> {
  initiatorId: string;
  idempotencyKey: string;
  createdAt: Date;
}

export interface ReversedTransfer {
  from_user_id: string;
  to_user_id: string;
  amount: string;
  from_account: string;
  to_account: string;
}

/** The reversals rows: every write of the table is here. */
@Injectable()
export class ReversalsRepository {
  /** The transfer to reverse, with both parties' wallet accounts. */
  transfer(m: Sql, transferId: string): Promise<ReversedTransfer | undefined> {
    return selectOne<ReversedTransfer>(
      m,
      `SELECT t.from_user_id, t.to_user_id, t.amount, fa.id AS from_account, ta.id AS to_account FROM transfers t
       ${joinAccountOf('user', 't.from_user_id', 'fa')}
       ${joinAccountOf('user', 't.to_user_id', 'ta')} WHERE t.id = ?`,
      [transferId],
    );
  }

  /** The insert as a statement (a second reversal of a transfer fails it on uq_reversals_transfer). */
  insert(r: NewReversal): Statement {
    return {
      sql: 'INSERT INTO reversals (id, initiator_id, idempotency_key, transfer_id, amount, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      params: [r.id, r.initiatorId, r.idempotencyKey, r.transferId, r.amount, r.reason, r.createdAt],
    };
  }

  /** The reversal a key made, for replays. */
  async byKey(m: Sql, initiatorId: string, key: string): Promise<ReversalView | undefined> {
    const row = await selectOne<{
      id: string;
      transfer_id: string;
      amount: string;
      reason: string;
      created_at: Date;
    }>(
      m,
      'SELECT id, transfer_id, amount, reason, created_at FROM reversals WHERE initiator_id = ? AND idempotency_key = ?',
      [initiatorId, key],
    );
    return (
      row && {
        id: row.id,
        transferId: row.transfer_id,
        amount: toSafeInt(row.amount),
        reason: row.reason,
        createdAt: new Date(row.created_at).toISOString(),
      }
    );
  }
}
