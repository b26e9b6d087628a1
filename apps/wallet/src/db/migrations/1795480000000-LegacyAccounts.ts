import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts carved out of the legacy monolith are keyed by the legacy user id: imported with no
 * owner, claimed once by the migrated user (README: the strangler runbook), and the v1-compatible balance reads them.
 */
export class LegacyAccounts1795480000000 implements MigrationInterface {
  name = 'LegacyAccounts1795480000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE accounts ADD COLUMN legacy_user_id INT NULL AFTER owner_id, ADD UNIQUE KEY uq_accounts_legacy (legacy_user_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE accounts DROP INDEX uq_accounts_legacy, DROP COLUMN legacy_user_id');
  }
}
