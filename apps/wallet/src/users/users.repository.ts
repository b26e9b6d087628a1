import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@paychat/errors';
import { selectOne } from '../db/rows';
import { duplicateKeyName, isDuplicateKey } from '../db/sql-errors';
import type { Statement } from '../db/statement';
import type { KycLevel } from '../limits/kyc-limits';
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

/** A user as an identity provider names them: a verified token's issuer and subject. */
export interface Identity {
  issuer: string;
  subject: string;
}

/** What a new user starts with (from their Cognito profile). */
export interface NewUser {
  email: string;
  /** The display name. */
  name: string;
  legacyUserId?: number;
}

/** The users and identities rows: every write of the two tables is in this file. */
@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A first authenticated call's rows, for one transaction: the identity first, so of two
   * concurrent first calls the loser fails on its primary key before writing a user.
   */
  newUser(identity: Identity, userId: string, user: NewUser): Statement[] {
    return [
      {
        sql: 'INSERT INTO identities (issuer, subject, user_id) VALUES (?, ?, ?)',
        params: [identity.issuer, identity.subject, userId],
      },
      {
        sql: 'INSERT INTO users (id, email, display_name, legacy_user_id) VALUES (?, ?, ?, ?)',
        params: [userId, user.email, user.name, user.legacyUserId ?? null],
      },
    ];
  }

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

  /** An operator's KYC verdict, for their transaction with its audit entry. */
  setKycLevel(userId: string, level: KycLevel): Statement {
    return { sql: 'UPDATE users SET kyc_level = ? WHERE id = ?', params: [level, userId] };
  }

  /** A disabled user can neither sign in nor be paid, for the operator's transaction with its audit entry. */
  disable(userId: string): Statement {
    return { sql: `UPDATE users SET status = 'disabled' WHERE id = ?`, params: [userId] };
  }

  /** The user's subjects at an identity provider (an operator disables them there too). */
  async subjects(userId: string, issuer: string): Promise<string[]> {
    const rows = (await this.dataSource.query(
      'SELECT subject FROM identities WHERE user_id = ? AND issuer = ?',
      [userId, issuer],
    )) as { subject: string }[];
    return rows.map((r) => r.subject);
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
