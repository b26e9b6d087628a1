import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from 'mysql2/promise';

/**
 * Applies `NNN_name.sql` files in order, once each, recording them in `schema_migrations`.
 * (The legacy stand-in's plain-SQL history; the wallet uses TypeORM migrations.)
 */
export async function applySqlMigrations(conn: Connection, dir: string): Promise<string[]> {
  await conn.query(
    'CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR(255) PRIMARY KEY, applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))',
  );
  const [rows] = await conn.query('SELECT name FROM schema_migrations');
  const done = new Set((rows as { name: string }[]).map((r) => r.name));
  const files = readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  const applied: string[] = [];
  for (const file of files.filter((f) => !done.has(f))) {
    await conn.query(readFileSync(join(dir, file), 'utf8'));
    await conn.query('INSERT INTO schema_migrations (name) VALUES (?)', [file]);
    applied.push(file);
  }
  return applied;
}
