import { MigrationInterface, QueryRunner } from 'typeorm';
import { appliedBySqlRunner } from './sql-runner-ledger';

/** The legacy monolith's schema, as the old app had it: INT ids, balances in their own table. */
export class Schema1795400000000 implements MigrationInterface {
  name = 'Schema1795400000000';

  async up(q: QueryRunner): Promise<void> {
    // This migration was 001_schema.sql; a database that ran it only records it here.
    if (await appliedBySqlRunner(q, '001_schema.sql')) return;
    const table = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
    await q.query(`CREATE TABLE users (
      id INT NOT NULL AUTO_INCREMENT,
      -- Case-insensitive, as the old login was: Taro@… and taro@… are one account.
      email VARCHAR(254) COLLATE utf8mb4_unicode_ci NOT NULL,
      password_hash VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      name VARCHAR(100) NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      PRIMARY KEY (id),
      UNIQUE KEY uq_users_email (email)
    ) ${table}`);
    await q.query(`CREATE TABLE balances (
      user_id INT NOT NULL,
      amount BIGINT NOT NULL,
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      PRIMARY KEY (user_id),
      CONSTRAINT fk_balances_user FOREIGN KEY (user_id) REFERENCES users (id),
      CONSTRAINT ck_balances_non_negative CHECK (amount >= 0)
    ) ${table}`);
    // Only the SHA-256 of a session token is stored, so a leaked table grants no sessions.
    await q.query(`CREATE TABLE sessions (
      token_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      user_id INT NOT NULL,
      expires_at DATETIME(3) NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      PRIMARY KEY (token_hash),
      KEY ix_sessions_user (user_id),
      CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id)
    ) ${table}`);
    await q.query(`CREATE TABLE transfers (
      id BIGINT NOT NULL AUTO_INCREMENT,
      from_user_id INT NOT NULL,
      to_user_id INT NOT NULL,
      amount BIGINT NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      PRIMARY KEY (id),
      KEY ix_transfers_from (from_user_id),
      KEY ix_transfers_to (to_user_id),
      CONSTRAINT fk_transfers_from FOREIGN KEY (from_user_id) REFERENCES users (id),
      CONSTRAINT fk_transfers_to FOREIGN KEY (to_user_id) REFERENCES users (id),
      CONSTRAINT ck_transfers_positive CHECK (amount > 0)
    ) ${table}`);
    // Operator switches. balance_writes: 'enabled' | 'read_only' (flipped for the balance carve-out).
    await q.query(`CREATE TABLE settings (
      name VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      value VARCHAR(255) NOT NULL,
      PRIMARY KEY (name)
    ) ${table}`);
    await q.query(`INSERT INTO settings (name, value) VALUES ('balance_writes', 'enabled')`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['settings', 'transfers', 'sessions', 'balances', 'users']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
