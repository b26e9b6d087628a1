import { Injectable } from '@nestjs/common';
import { directConversationId, USER_ID } from '@paychat/contracts';
import { AppError } from '@paychat/errors';
import { decodeCursor, type Page, pageOf } from '@paychat/platform';
import { selectOne, toSafeInt } from '../db/rows';
import type { Sql } from '../db/sql';
import type { Statement } from '../db/statement';
import { Outbox } from '../outbox/outbox';
import type { RequestStatus, RequestView } from './requests.dto';

interface Row {
  id: string;
  requester_id: string;
  payer_id: string;
  amount: string;
  memo: string | null;
  status: RequestStatus;
  version: number;
  transfer_id: string | null;
  expires_at: Date;
  created_at: Date;
}

export const toRequestView = (r: Row): RequestView => ({
  id: r.id,
  requesterId: r.requester_id,
  payerId: r.payer_id,
  amount: toSafeInt(r.amount),
  memo: r.memo,
  status: r.status,
  transferId: r.transfer_id,
  expiresAt: new Date(r.expires_at).toISOString(),
  createdAt: new Date(r.created_at).toISOString(),
});

/** The request id (a ULID) to continue below. */
interface RequestsCursor {
  id: string;
}

const COLUMNS =
  'id, requester_id, payer_id, amount, memo, status, version, transfer_id, expires_at, created_at';

/** The payment_requests rows: every write of the table is here. */
@Injectable()
export class RequestsRepository {
  constructor(private readonly outbox: Outbox) {}

  /** A pending request, expiring `lifetimeDays` after now on the database's clock. */
  async create(
    m: Sql,
    r: { id: string; requesterId: string; payerId: string; amount: number; memo?: string },
    lifetimeDays: number,
  ): Promise<void> {
    await m.query(
      `INSERT INTO payment_requests (id, requester_id, payer_id, amount, memo, status, expires_at)
       VALUES (?, ?, ?, ?, ?, 'pending', CURRENT_TIMESTAMP(3) + INTERVAL ? DAY)`,
      [r.id, r.requesterId, r.payerId, r.amount, r.memo ?? null, lifetimeDays],
    );
  }

  /** Visible to its two parties only; anyone else gets the same 404 as for no request. */
  async visible(m: Sql, id: string, userId: string): Promise<Row> {
    const row = await selectOne<Row>(
      m,
      `SELECT ${COLUMNS} FROM payment_requests WHERE id = ? AND (payer_id = ? OR requester_id = ?)`,
      [id, userId, userId],
    );
    if (!row) throw new AppError('not_found', 'No such request');
    return row;
  }

  /**
   * The one way a request changes status: a conditional UPDATE from `pending` (so a request is
   * paid, declined, cancelled or expired at most once, whatever races), plus its versioned event.
   */
  async transition(
    m: Sql,
    id: string,
    to: RequestStatus,
    extra: { transferId?: string } = {},
  ): Promise<RequestView> {
    const result = (await m.query(
      `UPDATE payment_requests SET status = ?, version = version + 1, transfer_id = COALESCE(?, transfer_id)
       WHERE id = ? AND status = 'pending' AND (? = 'expired' OR expires_at > CURRENT_TIMESTAMP(3))`,
      [to, extra.transferId ?? null, id, to],
    )) as { affectedRows: number };
    if (result.affectedRows !== 1)
      throw new AppError('request_not_pending', 'This request is no longer pending');
    const row = (await selectOne<Row>(m, `SELECT ${COLUMNS} FROM payment_requests WHERE id = ?`, [id]))!;
    const { sql, params } = this.event(m, row);
    await m.query(sql, params);
    return toRequestView(row);
  }

  /** Every change is an event for the chat, carrying the version so a late one never wins. */
  event(m: Sql, row: Row): Statement {
    return this.outbox.insert(m, {
      topic: 'payment_request.changed',
      aggregateId: row.id,
      version: row.version,
      orderingKey: directConversationId(row.requester_id, row.payer_id),
      payload: { ...toRequestView(row) },
    });
  }

  async page(
    m: Sql,
    userId: string,
    role: 'incoming' | 'outgoing',
    status: RequestStatus | undefined,
    limit: number,
    cursor?: string,
  ): Promise<Page<RequestView>> {
    const below = cursor
      ? decodeCursor<RequestsCursor>(cursor, (c) => typeof c.id === 'string' && USER_ID.test(c.id)).id
      : '~';
    const column = role === 'incoming' ? 'payer_id' : 'requester_id';
    const rows = (await m.query(
      `SELECT ${COLUMNS} FROM payment_requests WHERE ${column} = ? AND id < ? ${status ? 'AND status = ?' : ''} ORDER BY id DESC LIMIT ?`,
      [userId, below, ...(status ? [status] : []), limit + 1],
    )) as Row[];
    return pageOf(rows, limit, toRequestView, (last) => ({ id: last.id }) satisfies RequestsCursor);
  }

  async expired(m: Sql, limit: number): Promise<string[]> {
    const rows = (await m.query(
      `SELECT id FROM payment_requests WHERE status = 'pending' AND expires_at <= CURRENT_TIMESTAMP(3) LIMIT ? FOR UPDATE SKIP LOCKED`,
      [limit],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }
}
