import { MigrationInterface, QueryRunner } from 'typeorm';
import { fillOutflowCounters } from '../../ledger/accounts.repository';

/**
 * KYC limits on the locked row: running outflow counters per JST day and month on each account
 * (filled here from the postings), a charge the bank approved but the maximum balance refused
 * owes the bank a void (`void_status` owed → voided), and an ATM session records why it failed.
 */
export class LimitsUnderLock1795500000000 implements MigrationInterface {
  name = 'LimitsUnderLock1795500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE accounts
      ADD COLUMN outflow_day BIGINT NOT NULL DEFAULT 0, ADD COLUMN outflow_day_of DATE NULL,
      ADD COLUMN outflow_month BIGINT NOT NULL DEFAULT 0, ADD COLUMN outflow_month_of DATE NULL`);
    await fillOutflowCounters(q);
    await q.query(
      'ALTER TABLE charges ADD COLUMN void_status VARCHAR(16) NULL, ADD KEY ix_charges_void (void_status)',
    );
    await q.query('ALTER TABLE atm_sessions ADD COLUMN failure_reason VARCHAR(64) NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE atm_sessions DROP COLUMN failure_reason');
    await q.query('ALTER TABLE charges DROP KEY ix_charges_void, DROP COLUMN void_status');
    await q.query(`ALTER TABLE accounts DROP COLUMN outflow_day, DROP COLUMN outflow_day_of,
      DROP COLUMN outflow_month, DROP COLUMN outflow_month_of`);
  }
}
