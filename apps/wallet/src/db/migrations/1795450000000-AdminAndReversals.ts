import { MigrationInterface, QueryRunner } from 'typeorm';

/** Who did what as an operator (and who read whose personal data), and reversals of transfers. */
export class AdminAndReversals1795450000000 implements MigrationInterface {
  name = 'AdminAndReversals1795450000000';

  async up(q: QueryRunner): Promise<void> {
    const id = 'CHAR(26) CHARACTER SET ascii COLLATE ascii_bin';
    await q.query(`CREATE TABLE audit_log (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      actor_id ${id} NOT NULL,
      action VARCHAR(64) NOT NULL,
      target_type VARCHAR(32) NOT NULL,
      target_id VARCHAR(64) NULL,
      request_id VARCHAR(64) NOT NULL,
      details MEDIUMTEXT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      KEY ix_audit_target (target_type, target_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    // At most one reversal per transfer, by construction (UNIQUE transfer_id).
    await q.query(`CREATE TABLE reversals (
      id ${id} NOT NULL PRIMARY KEY,
      initiator_id ${id} NOT NULL,
      idempotency_key VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      transfer_id ${id} NOT NULL,
      amount BIGINT NOT NULL,
      reason VARCHAR(500) NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      UNIQUE KEY uq_initiator_key (initiator_id, idempotency_key),
      UNIQUE KEY uq_reversals_transfer (transfer_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS reversals');
    await q.query('DROP TABLE IF EXISTS audit_log');
  }
}
