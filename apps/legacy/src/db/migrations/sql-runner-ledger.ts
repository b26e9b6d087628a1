import type { QueryRunner } from 'typeorm';

/**
 * Whether the retired `.sql` runner already applied `file` to this database: it listed every file it
 * ran in `schema_migrations`. A database it migrated is adopted, not migrated a second time.
 */
export async function appliedBySqlRunner(q: QueryRunner, file: string): Promise<boolean> {
  if (!(await q.hasTable('schema_migrations'))) return false;
  const rows: unknown[] = await q.query('SELECT 1 FROM schema_migrations WHERE name = ?', [file]);
  return rows.length > 0;
}
