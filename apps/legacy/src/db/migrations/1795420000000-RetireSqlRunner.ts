import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops the retired `.sql` runner's ledger once the two migrations before this one have read it:
 * `typeorm_migrations` keeps the history from here on.
 */
export class RetireSqlRunner1795420000000 implements MigrationInterface {
  name = 'RetireSqlRunner1795420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS schema_migrations');
  }

  /** Leaves the ledger the `.sql` runner would find after applying both of its files. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'CREATE TABLE schema_migrations (name VARCHAR(255) PRIMARY KEY, applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))',
    );
    await q.query(`INSERT INTO schema_migrations (name) VALUES ('001_schema.sql'), ('002_seed.sql')`);
  }
}
