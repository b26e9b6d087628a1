import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The balance carve-out (README: the strangler runbook): which legacy users' balances were imported (one row each,
 * written in the same transaction as the opening entry, so a rerun imports nothing twice), and the
 * link from a migrated user to their legacy id.
 */
export class LegacyImport1795490000000 implements MigrationInterface {
  name = 'LegacyImport1795490000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE users ADD COLUMN legacy_user_id INT NULL AFTER handle, ADD UNIQUE KEY uq_users_legacy (legacy_user_id)`,
    );
    await q.query(`CREATE TABLE legacy_imports (
      legacy_user_id INT NOT NULL PRIMARY KEY,
      amount BIGINT NOT NULL,
      account_id BIGINT NOT NULL,
      op_id CHAR(26) CHARACTER SET ascii COLLATE ascii_bin NULL,
      imported_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS legacy_imports');
    await q.query('ALTER TABLE users DROP INDEX uq_users_legacy, DROP COLUMN legacy_user_id');
  }
}
