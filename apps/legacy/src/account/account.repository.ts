import { Inject, Injectable } from '@nestjs/common';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { LEGACY_POOL } from '../db/legacy-pool';
import { toSafeInteger } from '../db/safe-integer';

@Injectable()
export class AccountRepository {
  constructor(@Inject(LEGACY_POOL) private readonly pool: Pool) {}

  /** A user without a balance row has never held money: 0. */
  async balanceOf(userId: number): Promise<number> {
    const [rows] = await this.pool.query<RowDataPacket[]>('SELECT amount FROM balances WHERE user_id = ?', [
      userId,
    ]);
    return rows[0] ? toSafeInteger(rows[0].amount) : 0;
  }
}
