import { Injectable } from '@nestjs/common';
import { AppError } from '@paychat/errors';
import { toSafeInt } from '../db/rows';
import type { Sql } from '../db/sql';
import { joinAccountOf } from '../ledger/accounts.repository';
import type { AdminUserView } from './admin.dto';

interface Row {
  id: string;
  email: string;
  display_name: string;
  handle: string | null;
  status: string;
  kyc_level: string;
  created_at: Date;
  account_id: string;
  balance: string;
  account_status: string;
}

const SELECT = `SELECT u.id, u.email, u.display_name, u.handle, u.status, u.kyc_level, u.created_at,
  a.id AS account_id, a.balance, a.status AS account_status
  FROM users u ${joinAccountOf('user', 'u.id')}`;

const toView = (r: Row): AdminUserView => ({
  userId: r.id,
  email: r.email,
  displayName: r.display_name,
  handle: r.handle,
  status: r.status,
  kycLevel: r.kyc_level,
  createdAt: new Date(r.created_at).toISOString(),
  wallet: {
    accountId: String(r.account_id),
    balance: toSafeInt(r.balance),
    status: r.account_status,
    debitBlocked: toSafeInt(r.balance) < 0,
  },
});

@Injectable()
export class AdminUsersRepository {
  /** Exact id, email or handle (each indexed). */
  async search(m: Sql, query: string): Promise<AdminUserView[]> {
    const rows = (await m.query(`${SELECT} WHERE u.id = ? OR u.email = ? OR u.handle = ? LIMIT 20`, [
      query,
      query,
      query,
    ])) as Row[];
    return rows.map(toView);
  }

  async one(m: Sql, userId: string): Promise<AdminUserView> {
    const [row] = (await m.query(`${SELECT} WHERE u.id = ?`, [userId])) as Row[];
    if (!row) throw new AppError('not_found', 'No such user');
    return toView(row);
  }
}
