import { Inject, Injectable } from '@nestjs/common';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { LEGACY_POOL } from '../db/legacy-pool';
import type { LegacyCaller } from './legacy-caller';

export interface Credentials {
  id: number;
  email: string;
  name: string;
  passwordHash: string;
}

/** Users' credentials and their sessions (stored by token hash only). */
@Injectable()
export class SessionsRepository {
  constructor(@Inject(LEGACY_POOL) private readonly pool: Pool) {}

  async credentialsFor(email: string): Promise<Credentials | undefined> {
    const [rows] = await this.pool.query<RowDataPacket[]>(
      'SELECT id, email, name, password_hash FROM users WHERE email = ?',
      [email],
    );
    return (
      rows[0] && {
        id: rows[0].id,
        email: rows[0].email,
        name: rows[0].name,
        passwordHash: rows[0].password_hash,
      }
    );
  }

  async create(tokenHash: string, userId: number, expiresAt: Date): Promise<void> {
    await this.pool.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?, ?, ?)', [
      tokenHash,
      userId,
      expiresAt,
    ]);
  }

  /** The session's user, if the session exists and has not expired at `now`. */
  async findActive(tokenHash: string, now: Date): Promise<LegacyCaller | undefined> {
    const [rows] = await this.pool.query<RowDataPacket[]>(
      `SELECT u.id, u.email, u.name FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = ? AND s.expires_at > ?`,
      [tokenHash, now],
    );
    return rows[0] && { id: rows[0].id, email: rows[0].email, name: rows[0].name, tokenHash };
  }

  async delete(tokenHash: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE token_hash = ?', [tokenHash]);
  }
}
