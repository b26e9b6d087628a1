import { MigrationInterface, QueryRunner } from 'typeorm';

/** KYC limits sum a user's outflows by JST day and month; reconciliation stores its snapshots. */
export class LimitsAndReconciliation1795440000000 implements MigrationInterface {
  name = 'LimitsAndReconciliation1795440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE postings ADD KEY ix_postings_account_time (account_id, created_at)');
    await q.query(`CREATE TABLE ledger_snapshots (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      kind VARCHAR(16) NOT NULL,
      balanced TINYINT(1) NOT NULL,
      watermark_entry_id BIGINT NOT NULL,
      accounts_checked INT NOT NULL,
      total_balance BIGINT NOT NULL,
      mismatches MEDIUMTEXT NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS ledger_snapshots');
    await q.query('ALTER TABLE postings DROP KEY ix_postings_account_time');
  }
}
