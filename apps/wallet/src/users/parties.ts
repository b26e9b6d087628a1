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
  /**
   * `alongWith` travels in the same round trip (e.g. the money row's insert): if the recipient
   * turns out to be missing, the caller's savepoint rollback undoes it.
   */
  async recipient(m: Sql, userId: string, alongWith?: Statement): Promise<Party> {
    const lookup = `SELECT a.id AS account_id, u.status FROM users u ${joinAccountOf('user', 'u.id')} WHERE u.id = ?`;
    const result = (await m.query(alongWith ? `${lookup}; ${alongWith.sql}` : lookup, [
      userId,
      ...(alongWith?.params ?? []),
    ])) as unknown[];
    const row = ((alongWith ? result[0] : result) as RecipientRow[])[0];
    if (!row) throw new AppError('recipient_not_found');
    if (row.status !== 'active') throw new AppError('recipient_unavailable');
    return { userId, accountId: String(row.account_id) };
  }
}
