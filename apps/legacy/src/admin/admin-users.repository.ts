import { Inject, Injectable } from '@nestjs/common';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { LEGACY_POOL } from '../db/legacy-pool';
import { toSafeInteger } from '../db/safe-integer';

export interface LegacyUserRow {
  id: number;
  email: string;
  name: string;
  createdAt: Date;
  /** A user without a balance row has never held money: 0. */
  balance: number;
}

const SELECT_USER = `SELECT u.id, u.email, u.name, u.created_at, COALESCE(b.amount, 0) AS amount
  FROM users u LEFT JOIN balances b ON b.user_id = u.id`;

const toRow = (r: RowDataPacket): LegacyUserRow => ({
  id: r.id as number,
  email: r.email as string,
  name: r.name as string,
  createdAt: r.created_at as Date,
  balance: toSafeInteger(r.amount as string),
});

@Injectable()
export class AdminUsersRepository {
  constructor(@Inject(LEGACY_POOL) private readonly pool: Pool) {}

  /** Up to `limit` users with an id above `afterId`, in id order (keyset paging: stable under inserts). */
  async page(afterId: number, limit: number): Promise<LegacyUserRow[]> {
    const [rows] = await this.pool.query<RowDataPacket[]>(
      `${SELECT_USER} WHERE u.id > ? ORDER BY u.id LIMIT ?`,
      [afterId, limit],
    );
    return rows.map(toRow);
  }

  async byId(id: number): Promise<LegacyUserRow | undefined> {
    const [rows] = await this.pool.query<RowDataPacket[]>(`${SELECT_USER} WHERE u.id = ?`, [id]);
    return rows[0] ? toRow(rows[0]) : undefined;
  }
}
