import { Injectable } from '@nestjs/common';
import type { Sql } from '../db/sql';
import { decodeCursor, type Page, pageOf } from '@paychat/platform';
import { toSafeInt } from '../db/rows';
import type { TransactionView } from './wallet.dto';

interface PostingRow {
  seq: string;
  amount: string;
  balance_after: string;
  op_type: string;
  op_id: string;
  counterparty_id: string | null;
  memo: string | null;
  created_at: Date;
  counterparty_name: string | null;
  withdrawal_status: string | null;
}

/** The seq to continue below. */
interface HistoryCursor {
  seq: number;
}

/**
 * An account's history, newest first, paged by (account_id, seq): seq is assigned under the account
 * row lock at commit, so a page walk never skips or repeats an entry, whatever commits meanwhile.
 */
@Injectable()
export class HistoryRepository {
  async page(m: Sql, accountId: string, limit: number, cursor?: string): Promise<Page<TransactionView>> {
    const below = cursor
      ? decodeCursor<HistoryCursor>(cursor, (c) => Number.isSafeInteger(c.seq)).seq
      : Number.MAX_SAFE_INTEGER;
    const rows = (await m.query(
      `SELECT p.seq, p.amount, p.balance_after, p.op_type, p.op_id, p.counterparty_id, p.memo, p.created_at,
              COALESCE(u.display_name, mc.name) AS counterparty_name, w.status AS withdrawal_status
       FROM postings p
       LEFT JOIN users u ON u.id = p.counterparty_id
       LEFT JOIN merchants mc ON mc.id = p.counterparty_id
       LEFT JOIN withdrawals w ON w.id = p.op_id AND p.op_type = 'withdrawal'
       WHERE p.account_id = ? AND p.seq < ? ORDER BY p.seq DESC LIMIT ?`,
      [accountId, below, limit + 1],
    )) as PostingRow[];
    return pageOf(rows, limit, toView, (last) => ({ seq: toSafeInt(last.seq) }) satisfies HistoryCursor);
  }
}

function toView(row: PostingRow): TransactionView {
  const amount = toSafeInt(row.amount);
  // A withdrawal's debit is pending until the bank confirms; its release (a credit) marks it failed.
  const status =
    row.withdrawal_status === 'pending'
      ? 'pending'
      : row.withdrawal_status === 'failed'
        ? 'failed'
        : 'completed';
  return {
    id: row.op_id,
    type: row.op_type,
    status,
    amount,
    balanceAfter: toSafeInt(row.balance_after),
    ...(row.counterparty_id
      ? { counterparty: { id: row.counterparty_id, name: row.counterparty_name ?? '' } }
      : {}),
    ...(row.memo ? { memo: row.memo } : {}),
    createdAt: new Date(row.created_at).toISOString(),
  };
}
