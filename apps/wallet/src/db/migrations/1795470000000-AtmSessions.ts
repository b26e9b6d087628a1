import { MigrationInterface, QueryRunner } from 'typeorm';

/** ATM sessions: a one-time code (hashed; unique while live), money moves only on the network's confirmation. */
export class AtmSessions1795470000000 implements MigrationInterface {
  name = 'AtmSessions1795470000000';

  async up(q: QueryRunner): Promise<void> {
    const id = 'CHAR(26) CHARACTER SET ascii COLLATE ascii_bin';
    await q.query(`CREATE TABLE atm_sessions (
      id ${id} NOT NULL PRIMARY KEY,
      initiator_id ${id} NOT NULL,
      idempotency_key VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      kind VARCHAR(16) NOT NULL,
      amount BIGINT NOT NULL,
      status VARCHAR(16) NOT NULL,
      code_hash CHAR(64) CHARACTER SET ascii NULL,
      atm_reference VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
      expires_at DATETIME(3) NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      UNIQUE KEY uq_initiator_key (initiator_id, idempotency_key),
      UNIQUE KEY uq_atm_code (code_hash),
      UNIQUE KEY uq_atm_reference (atm_reference),
      KEY ix_atm_expiry (status, expires_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS atm_sessions');
  }
}
