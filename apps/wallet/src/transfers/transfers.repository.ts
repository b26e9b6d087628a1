import { Injectable } from '@nestjs/common';
import { encodeTime } from 'ulid';
import type { Sql } from '../db/sql';
import { selectOne, toSafeInt } from '../db/rows';
import type { Statement } from '../db/statement';
import type { TransferView } from './transfers.dto';

interface TransferRow {
  id: string;
  initiator_id: string;
  from_user_id: string;
  to_user_id: string;
  amount: string;
  memo: string | null;
  created_at: Date;
  sender_balance_after?: string | null;
}

/** A transfer's money row as it is written: UNIQUE(initiator, key), so a key moves money once. */
export interface NewTransfer {
  id: string;
  initiatorId: string;
  idempotencyKey: string;
  fromUserId: string;
  toUserId: string;
  amount: number;
  memo: string | null;
  createdAt: Date;
}

const COLUMNS = 't.id, t.initiator_id, t.from_user_id, t.to_user_id, t.amount, t.memo, t.created_at';

export function toTransferView(row: TransferRow, withBalance: boolean): TransferView {
  return {
    id: row.id,
    fromUserId: row.from_user_id,
    toUserId: row.to_user_id,
    amount: toSafeInt(row.amount),
    memo: row.memo,
    createdAt: new Date(row.created_at).toISOString(),
    ...(withBalance && row.sender_balance_after != null
      ? { balance: toSafeInt(row.sender_balance_after) }
      : {}),
  };
}

/** The transfers rows: every write of the table is here. */
@Injectable()
export class TransfersRepository {
  /** The insert as a statement, for the transfer's round trip (a duplicate key fails it: ER_DUP_ENTRY). */
  insert(t: NewTransfer): Statement {
    return {
      sql: `INSERT INTO transfers (id, initiator_id, idempotency_key, from_user_id, to_user_id, amount, memo, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      params: [
        t.id,
        t.initiatorId,
        t.idempotencyKey,
        t.fromUserId,
        t.toUserId,
        t.amount,
        t.memo,
        t.createdAt,
      ],
    };
  }

  /** The money row of a key, with the sender's balance right after it (from its posting). */
  byKey(m: Sql, initiatorId: string, key: string): Promise<TransferRow | undefined> {
    return selectOne<TransferRow>(
      m,
      `SELECT ${COLUMNS}, p.balance_after AS sender_balance_after FROM transfers t
       LEFT JOIN postings p ON p.op_id = t.id AND p.op_type = 'transfer_out'
       WHERE t.initiator_id = ? AND t.idempotency_key = ?`,
      [initiatorId, key],
    );
  }

  /** Only the two parties may see a transfer; everyone else gets the same 404 as for no transfer. */
  visibleTo(m: Sql, id: string, userId: string): Promise<TransferRow | undefined> {
    return selectOne<TransferRow>(
      m,
      `SELECT ${COLUMNS} FROM transfers t WHERE t.id = ? AND (t.from_user_id = ? OR t.to_user_id = ?)`,
      [id, userId, userId],
    );
  }

  /**
   * Transfers since `since`, per minute: how many and the yen they moved. Transfer ids are ULIDs
   * taken at creation, so the window is a primary-key range (no index on created_at needed).
   */
  async perMinute(m: Sql, since: Date): Promise<{ minute: string; transfers: number; yen: number }[]> {
    const rows = (await m.query(
      `SELECT DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:00.000Z') AS minute, COUNT(*) AS n, SUM(amount) AS yen
       FROM transfers WHERE id >= ? AND created_at >= ? GROUP BY minute`,
      [ulidFloor(since), since],
    )) as { minute: string; n: string; yen: string }[];
    return rows.map((r) => ({ minute: r.minute, transfers: toSafeInt(r.n), yen: toSafeInt(r.yen) }));
  }
}

/** The smallest ULID of the millisecond `at`. */
const ulidFloor = (at: Date) => `${encodeTime(at.getTime(), 10)}${'0'.repeat(16)}`;
