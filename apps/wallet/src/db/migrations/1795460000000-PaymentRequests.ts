import { MigrationInterface, QueryRunner } from 'typeorm';

/** Requests for money between two users; `version` orders their events for the chat. */
export class PaymentRequests1795460000000 implements MigrationInterface {
  name = 'PaymentRequests1795460000000';

  async up(q: QueryRunner): Promise<void> {
    const id = 'CHAR(26) CHARACTER SET ascii COLLATE ascii_bin';
    await q.query(`CREATE TABLE payment_requests (
      id ${id} NOT NULL PRIMARY KEY,
      requester_id ${id} NOT NULL,
      payer_id ${id} NOT NULL,
      amount BIGINT NOT NULL,
      memo VARCHAR(200) NULL,
      status VARCHAR(16) NOT NULL,
      version INT NOT NULL DEFAULT 1,
      transfer_id ${id} NULL,
      expires_at DATETIME(3) NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      KEY ix_requests_payer (payer_id, id),
      KEY ix_requests_requester (requester_id, id),
      KEY ix_requests_expiry (status, expires_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS payment_requests');
  }
}
