import { Injectable } from '@nestjs/common';
import type { Sql } from '../db/sql';
import { AppError } from '@paychat/errors';
import { selectOne } from '../db/rows';
import type { BankAccountView } from './bank-accounts.dto';

interface BankAccountRow {
  id: string;
  bank_code: string;
  last4: string;
  holder_name: string;
  status: BankAccountView['status'];
  created_at: Date;
}

const COLUMNS = 'id, bank_code, last4, holder_name, status, created_at';

export const toBankAccountView = (r: BankAccountRow): BankAccountView => ({
  id: r.id,
  bankCode: r.bank_code,
  last4: r.last4,
  holderName: r.holder_name,
  status: r.status,
  createdAt: new Date(r.created_at).toISOString(),
});

/**
 * The `bank_accounts` table (no other file writes it). Only the owner ever sees or uses a bank
 * account; to anyone else it does not exist (404).
 */
@Injectable()
export class BankAccountsRepository {
  /** A new account awaiting the bank's word on its ownership; the number arrives sealed. */
  async insertPending(
    m: Sql,
    row: {
      id: string;
      userId: string;
      bankCode: string;
      branchCode: string;
      accountNumberSealed: Buffer;
      last4: string;
      holderName: string;
    },
  ): Promise<void> {
    await m.query(
      `INSERT INTO bank_accounts (id, user_id, bank_code, branch_code, account_number_enc, last4, holder_name, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending_verification')`,
      [row.id, row.userId, row.bankCode, row.branchCode, row.accountNumberSealed, row.last4, row.holderName],
    );
  }

  /** Records the bank's verdict, unless one was recorded already. */
  async recordVerdict(m: Sql, id: string, status: 'verified' | 'rejected'): Promise<void> {
    await m.query(`UPDATE bank_accounts SET status = ? WHERE id = ? AND status = 'pending_verification'`, [
      status,
      id,
    ]);
  }

  /** Soft delete: the rows of past operations still point at it. */
  async remove(m: Sql, id: string): Promise<void> {
    await m.query('UPDATE bank_accounts SET deleted_at = CURRENT_TIMESTAMP(3) WHERE id = ?', [id]);
  }

  async owned(m: Sql, userId: string, id: string, lock = false): Promise<BankAccountView> {
    const row = await selectOne<BankAccountRow>(
      m,
      `SELECT ${COLUMNS} FROM bank_accounts WHERE id = ? AND user_id = ? AND deleted_at IS NULL${lock ? ' FOR UPDATE' : ''}`,
      [id, userId],
    );
    if (!row) throw new AppError('not_found', 'No such bank account');
    return toBankAccountView(row);
  }

  /** For a money movement: the account must be the caller's and verified by the bank. */
  async usable(m: Sql, userId: string, id: string): Promise<BankAccountView> {
    const account = await this.owned(m, userId, id);
    if (account.status !== 'verified') throw new AppError('bank_account_not_verified');
    return account;
  }

  async list(m: Sql, userId: string): Promise<BankAccountView[]> {
    const rows = (await m.query(
      `SELECT ${COLUMNS} FROM bank_accounts WHERE user_id = ? AND deleted_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 100`,
      [userId],
    )) as BankAccountRow[];
    return rows.map(toBankAccountView);
  }
}
