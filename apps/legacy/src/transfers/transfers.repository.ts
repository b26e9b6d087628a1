import { Injectable } from '@nestjs/common';
import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { toSafeInteger } from '../db/safe-integer';

/** The SQL of a legacy transfer; every method runs on the caller's transaction connection. */
@Injectable()
export class TransfersRepository {
  async userIdByEmail(conn: PoolConnection, email: string): Promise<number | undefined> {
    const [rows] = await conn.query<RowDataPacket[]>('SELECT id FROM users WHERE email = ?', [email]);
    return rows[0]?.id;
  }

  /**
   * Locks both balance rows and returns their amounts (a missing row is 0). One statement walking
   * the primary key in ascending user id: every transfer locks in the same order, so two opposite
   * transfers between the same pair cannot deadlock.
   */
  async lockBalances(conn: PoolConnection, userIds: [number, number]): Promise<Map<number, number>> {
    const [rows] = await conn.query<RowDataPacket[]>(
      'SELECT user_id, amount FROM balances WHERE user_id IN (?, ?) ORDER BY user_id FOR UPDATE',
      userIds,
    );
    const amounts = new Map<number, number>(userIds.map((id) => [id, 0]));
    for (const row of rows) amounts.set(row.user_id, toSafeInteger(row.amount));
    return amounts;
  }

  /** Moves the money and records the transfer; returns the transfer id. */
  async move(conn: PoolConnection, fromUserId: number, toUserId: number, amount: number): Promise<number> {
    await conn.query('UPDATE balances SET amount = amount - ? WHERE user_id = ?', [amount, fromUserId]);
    await conn.query(
      'INSERT INTO balances (user_id, amount) VALUES (?, ?) ON DUPLICATE KEY UPDATE amount = amount + ?',
      [toUserId, amount, amount],
    );
    const [result] = await conn.query<ResultSetHeader>(
      'INSERT INTO transfers (from_user_id, to_user_id, amount) VALUES (?, ?, ?)',
      [fromUserId, toUserId, amount],
    );
    return toSafeInteger(result.insertId);
  }
}
