import { Injectable } from '@nestjs/common';
import type { Sql } from '../db/sql';
import { AppError } from '@paychat/errors';
import type { Statement } from '../db/statement';
import { joinAccountOf } from '../ledger/accounts.repository';

export interface Party {
  userId: string;
  accountId: string;
}

type RecipientRow = { account_id: string; status: string };

/** Finds the user on the other side of an operation; a disabled one cannot be paid. */
@Injectable()
export class Parties {
  /** The recipient's lookup, to share a round trip with the operation's money row (recipientFrom reads its rows). */
  lookup(userId: string): Statement {
    return {
      sql: `SELECT a.id AS account_id, u.status FROM users u ${joinAccountOf('user', 'u.id')} WHERE u.id = ?`,
      params: [userId],
    };
  }

  /** The recipient the lookup found: 404 recipient_not_found, or 422 recipient_unavailable when disabled. */
  recipientFrom(userId: string, rows: unknown): Party {
    const row = (rows as RecipientRow[])[0];
    if (!row) throw new AppError('recipient_not_found');
    if (row.status !== 'active') throw new AppError('recipient_unavailable');
    return { userId, accountId: String(row.account_id) };
  }

  /** The lookup on its own round trip. */
  async recipient(m: Sql, userId: string): Promise<Party> {
    const { sql, params } = this.lookup(userId);
    return this.recipientFrom(userId, await m.query(sql, params));
  }
}
