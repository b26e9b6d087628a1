import { Injectable } from '@nestjs/common';
import { selectOne } from '../db/rows';
import type { Sql } from '../db/sql';
import { joinAccountOf } from '../ledger/accounts.repository';

/** The merchants rows (stores users pay): every write of the table is here. */
@Injectable()
export class MerchantsRepository {
  async create(m: Sql, id: string, name: string): Promise<void> {
    await m.query('INSERT INTO merchants (id, name) VALUES (?, ?)', [id, name]);
  }

  /** The merchant's wallet account, or undefined for no such merchant. */
  async accountOf(m: Sql, merchantId: string): Promise<string | undefined> {
    const row = await selectOne<{ account_id: string }>(
      m,
      `SELECT a.id AS account_id FROM merchants mc ${joinAccountOf('merchant', 'mc.id')} WHERE mc.id = ?`,
      [merchantId],
    );
    return row && String(row.account_id);
  }
}
