import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@paychat/errors';
import { selectOne } from '../db/rows';
import { duplicateKeyName, isDuplicateKey } from '../db/sql-errors';
import type { ProfileView, PublicUserView } from './users.dto';

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  handle: string | null;
  kyc_level: string;
  created_at: Date;
}

const toProfile = (r: UserRow): ProfileView => ({
  userId: r.id,
  email: r.email,
  displayName: r.display_name,
  handle: r.handle,
  kycLevel: r.kyc_level,
  createdAt: new Date(r.created_at).toISOString(),
});

@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  async profile(userId: string): Promise<ProfileView> {
    const row = await selectOne<UserRow>(
      this.dataSource.manager,
      'SELECT id, email, display_name, handle, kyc_level, created_at FROM users WHERE id = ?',
      [userId],
    );
    if (!row) throw new AppError('not_found');
    return toProfile(row);
  }

  async update(userId: string, changes: { displayName?: string; handle?: string }): Promise<void> {
    const sets = Object.entries({ display_name: changes.displayName, handle: changes.handle }).filter(
      ([, v]) => v !== undefined,
    );
    if (sets.length === 0) return;
    try {
      await this.dataSource.query(
        `UPDATE users SET ${sets.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`,
        [...sets.map(([, v]) => v), userId],
      );
    } catch (err) {
      if (isDuplicateKey(err) && duplicateKeyName(err) === 'uq_users_handle')
        throw new AppError('handle_taken');
      throw err;
    }
  }

  /** Exact handle match among active users (uq_users_handle). */
  async byHandle(handle: string): Promise<PublicUserView> {
    const row = await selectOne<UserRow>(
      this.dataSource.manager,
      `SELECT id, display_name, handle FROM users WHERE handle = ? AND status = 'active'`,
      [handle],
    );
    if (!row?.handle) throw new AppError('not_found', 'No user with this handle');
    return { userId: row.id, displayName: row.display_name, handle: row.handle };
  }

  /** Which of these ids are active users, for the messages service's member checks. */
  async active(userIds: string[]): Promise<PublicUserView[]> {
    const rows = (await this.dataSource.query(
      `SELECT id, display_name, handle FROM users WHERE id IN (${userIds.map(() => '?').join(', ')}) AND status = 'active'`,
      userIds,
    )) as UserRow[];
    return rows.map((r) => ({ userId: r.id, displayName: r.display_name, handle: r.handle }));
  }
}
