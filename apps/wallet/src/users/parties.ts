import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError } from '@paychat/errors';
import { selectOne } from '../db/rows';

export interface Party {
  userId: string;
  accountId: string;
}

/** Finds the user on the other side of an operation; a disabled one cannot be paid. */
@Injectable()
export class Parties {
  async recipient(m: EntityManager, userId: string): Promise<Party> {
    const row = await selectOne<{ account_id: string; status: string }>(
      m,
      `SELECT a.id AS account_id, u.status FROM users u JOIN accounts a ON a.kind = 'user' AND a.owner_id = u.id WHERE u.id = ?`,
      [userId],
    );
    if (!row) throw new AppError('recipient_not_found');
    if (row.status !== 'active') throw new AppError('recipient_unavailable');
    return { userId, accountId: String(row.account_id) };
  }
}
