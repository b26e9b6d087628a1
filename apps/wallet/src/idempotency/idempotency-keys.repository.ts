import { Injectable } from '@nestjs/common';
import { changedRows, selectOne } from '../db/rows';
import type { Sql } from '../db/sql';
import type { Statement } from '../db/statement';
import type { IdempotencyScope } from './idempotency-key.decorator';

/** Cached responses live this long; the money rows' own unique keys answer retries after that. */
const KEY_TTL_HOURS = 48;

export interface KeyRow {
  method: string;
  path: string;
  body_hash: string;
  state: 'in_progress' | 'completed';
  status_code: number | null;
  response: string | null;
}

/** The `idempotency_keys` table: every statement that reads or writes it. */
@Injectable()
export class IdempotencyKeysRepository {
  /**
   * Claims the key, in progress: a statement, so the operation's SAVEPOINT can share its round
   * trip. A duplicate key means the key was claimed before; a lock wait, that its claim still runs.
   */
  claim(userId: string, scope: IdempotencyScope, bodyHash: string): Statement {
    return {
      sql: `INSERT INTO idempotency_keys (user_id, idem_key, method, path, body_hash, state, expires_at)
            VALUES (?, ?, ?, ?, ?, 'in_progress', CURRENT_TIMESTAMP(3) + INTERVAL ${KEY_TTL_HOURS} HOUR)`,
      params: [userId, scope.key, scope.method, scope.path, bodyHash],
    };
  }

  /** Completes the key with the answer to replay: a statement, to travel with the COMMIT. */
  complete(userId: string, key: string, status: number, response: string): Statement {
    return {
      sql: `UPDATE idempotency_keys SET state = 'completed', status_code = ?, response = ? WHERE user_id = ? AND idem_key = ?`,
      params: [status, response, userId, key],
    };
  }

  find(m: Sql, userId: string, key: string): Promise<KeyRow | undefined> {
    return selectOne<KeyRow>(
      m,
      'SELECT method, path, body_hash, state, status_code, response FROM idempotency_keys WHERE user_id = ? AND idem_key = ?',
      [userId, key],
    );
  }

  /** Deletes up to `limit` expired keys (the janitor's, the only DB user allowed to); returns how many. */
  purgeExpired(m: Sql, limit: number): Promise<number> {
    return changedRows(m, 'DELETE FROM idempotency_keys WHERE expires_at < CURRENT_TIMESTAMP(3) LIMIT ?', [
      limit,
    ]);
  }

  /**
   * The refusals stored as answers since `since`, by problem code. Only keyed (money-moving)
   * operations store their outcome. A key expires KEY_TTL_HOURS after its claim, so the window is
   * an ix_idempotency_expires range.
   */
  async failuresByCode(m: Sql, since: Date): Promise<{ code: string; count: number }[]> {
    const rows = (await m.query(
      `SELECT COALESCE(JSON_UNQUOTE(JSON_EXTRACT(response, '$.problem.code')), 'unknown') AS code, COUNT(*) AS n
       FROM idempotency_keys
       WHERE expires_at >= ? AND state = 'completed' AND status_code >= 400
       GROUP BY code ORDER BY n DESC LIMIT 100`,
      [new Date(since.getTime() + KEY_TTL_HOURS * 3_600_000)],
    )) as { code: string; n: string }[];
    return rows.map((r) => ({ code: r.code, count: Number(r.n) }));
  }
}
