import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { hashSync } from 'bcryptjs';
import { randomUUID } from 'node:crypto';
import mysql, { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { loadConfig } from '@paychat/config';
import { buildLegacy } from '../../apps/legacy/src/build-legacy';
import { LegacyEnv } from '../../apps/legacy/src/legacy.env';
import {
  hashSessionToken,
  newSessionToken,
  SESSION_TTL_MS,
} from '../../apps/legacy/src/sessions/session-token';

export const FIXTURE_PASSWORD = 'FixturePass1!';
/** Cost 4: the fixture users only need a valid hash, not a slow one. */
const FIXTURE_HASH = hashSync(FIXTURE_PASSWORD, 4);

export interface FixtureUser {
  id: number;
  email: string;
}

/**
 * The legacy app against the test database (LEGACY_DB_URL from the jest global setup), plus a
 * direct pool for arranging and checking rows. Each test makes its own users, so files and tests
 * are independent of order and can be rerun; `close()` removes what they made.
 */
export class LegacyTestbed {
  private readonly userIds: number[] = [];

  private constructor(
    readonly app: NestFastifyApplication,
    readonly db: Pool,
  ) {}

  static async start(env: NodeJS.ProcessEnv): Promise<LegacyTestbed> {
    const config = loadConfig(LegacyEnv, { ...env, LOG_LEVEL: 'silent' });
    // Tests add users and flip settings: never against the development database by accident.
    if (!/\/paychat_test_[a-z0-9_]+$/.test(config.LEGACY_DB_URL)) {
      throw new Error('LEGACY_DB_URL must name a paychat_test_* database (the jest global setup sets it)');
    }
    const app = await buildLegacy(config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const db = mysql.createPool({
      uri: config.LEGACY_DB_URL,
      supportBigNumbers: true,
      bigNumberStrings: true,
      timezone: 'Z',
    });
    return new LegacyTestbed(app, db);
  }

  get server() {
    return this.app.getHttpServer();
  }

  async createUser(balance: number): Promise<FixtureUser> {
    const email = `fx-${randomUUID()}@legacy.test`;
    const [user] = await this.db.query<ResultSetHeader>(
      'INSERT INTO users (email, password_hash, name) VALUES (?, ?, ?)',
      [email, FIXTURE_HASH, 'Fixture'],
    );
    await this.db.query('INSERT INTO balances (user_id, amount) VALUES (?, ?)', [user.insertId, balance]);
    this.userIds.push(user.insertId);
    return { id: user.insertId, email };
  }

  /** A live session for `userId`, made directly in the database (login itself is tested separately). */
  async sessionFor(userId: number, expiresAt = new Date(Date.now() + SESSION_TTL_MS)): Promise<string> {
    const token = newSessionToken();
    await this.db.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?, ?, ?)', [
      hashSessionToken(token),
      userId,
      expiresAt,
    ]);
    return token;
  }

  async balanceOf(userId: number): Promise<number> {
    const [rows] = await this.db.query<RowDataPacket[]>('SELECT amount FROM balances WHERE user_id = ?', [
      userId,
    ]);
    return Number(rows[0]?.amount);
  }

  async transfersFrom(userId: number): Promise<number> {
    const [rows] = await this.db.query<RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM transfers WHERE from_user_id = ?',
      [userId],
    );
    return Number(rows[0].n);
  }

  async setBalanceWrites(value: 'enabled' | 'read_only'): Promise<void> {
    await this.db.query("UPDATE settings SET value = ? WHERE name = 'balance_writes'", [value]);
  }

  async close(): Promise<void> {
    if (this.userIds.length > 0) {
      const ids = this.userIds;
      await this.db.query('DELETE FROM transfers WHERE from_user_id IN (?) OR to_user_id IN (?)', [ids, ids]);
      for (const table of ['sessions', 'balances']) {
        await this.db.query(`DELETE FROM ${table} WHERE user_id IN (?)`, [ids]);
      }
      await this.db.query('DELETE FROM users WHERE id IN (?)', [ids]);
    }
    await this.db.end();
    await this.app.close();
  }
}
