import type { Sql } from './sql';
import type { Statement } from './statement';

type Callback = (err: Error | null, result?: unknown) => void;
export interface RawConnection {
  query(sql: string, params: unknown[], callback: Callback): void;
}

/**
 * A transaction on a raw mysql2 connection borrowed from TypeORM's pool (no per-query ORM
 * overhead), with START TRANSACTION riding on the first statement and COMMIT on the last — two
 * round trips fewer than a separate BEGIN and COMMIT. Isolation (READ COMMITTED) and the lock wait
 * are set per pooled connection (DatabaseModule).
 */
export class SqlTransaction implements Sql {
  private begun = false;

  constructor(private readonly connection: RawConnection) {}

  async query(sql: string, params: unknown[] = []): Promise<unknown> {
    if (this.begun) return this.raw(sql, params);
    this.begun = true;
    const [, ...results] = (await this.raw(`START TRANSACTION; ${sql}`, params)) as unknown[];
    return results.length === 1 ? results[0] : results;
  }

  /** Runs `last` (if any) and COMMIT in one round trip. */
  async commit(last?: Statement): Promise<void> {
    if (!this.begun) return;
    await this.raw(last ? `${last.sql}; COMMIT` : 'COMMIT', last?.params ?? []);
    this.begun = false;
  }

  async rollback(): Promise<void> {
    if (!this.begun) return;
    this.begun = false;
    await this.raw('ROLLBACK', []);
  }

  private raw(sql: string, params: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) =>
      this.connection.query(sql, params, (err, result) => (err ? reject(err) : resolve(result))),
    );
  }
}
