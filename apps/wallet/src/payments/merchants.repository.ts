import { Injectable } from '@nestjs/common';
import { decodeCursor, type Page, pageOf } from '@paychat/platform';
import { USER_ID } from '@paychat/contracts';
import { selectOne, toSafeInt } from '../db/rows';
import type { Sql } from '../db/sql';
import { joinAccountOf } from '../ledger/accounts.repository';

/** A merchant as an operator lists it. */
export interface MerchantView {
  id: string;
  name: string;
  accountId: string;
  balance: number;
  status: string;
  createdAt: string;
}

/** The merchant id to continue below. */
interface MerchantCursor {
  id: string;
}

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

  /** Newest first (ULIDs sort by creation: the primary key pages); the cursor holds the last id seen. */
  async page(m: Sql, limit: number, cursor?: string): Promise<Page<MerchantView>> {
    const below = cursor
      ? decodeCursor<MerchantCursor>(cursor, (c) => typeof c.id === 'string' && USER_ID.test(c.id)).id
      : '~'; // above every ULID character
    const rows = (await m.query(
      `SELECT mc.id, mc.name, mc.created_at, a.id AS account_id, a.balance, a.status
       FROM merchants mc ${joinAccountOf('merchant', 'mc.id')}
       WHERE mc.id < ? ORDER BY mc.id DESC LIMIT ?`,
      [below, limit + 1],
    )) as {
      id: string;
      name: string;
      created_at: Date;
      account_id: string;
      balance: string;
      status: string;
    }[];
    const view = (r: (typeof rows)[number]): MerchantView => ({
      id: r.id,
      name: r.name,
      accountId: String(r.account_id),
      balance: toSafeInt(r.balance),
      status: r.status,
      createdAt: new Date(r.created_at).toISOString(),
    });
    return pageOf(rows, limit, view, (last) => ({ id: last.id }) satisfies MerchantCursor);
  }
}
