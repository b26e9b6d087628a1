import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger: users and their Cognito identities, accounts, double-entry journal and postings,
 * the money rows (each with UNIQUE(initiator, idempotency_key)), bank accounts, idempotency keys
 * and the outbox. Ids that leave the service are ULIDs (ascii); amounts are BIGINT yen.
 */
export class Ledger1795430000000 implements MigrationInterface {
  name = 'Ledger1795430000000';

  async up(q: QueryRunner): Promise<void> {
    const id = 'CHAR(26) CHARACTER SET ascii COLLATE ascii_bin';
    const now = 'DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)';
    const key = 'VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin';
    const table = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';

    await q.query(`CREATE TABLE users (
      id ${id} NOT NULL PRIMARY KEY,
      email VARCHAR(254) NOT NULL,
      display_name VARCHAR(50) NOT NULL,
      handle VARCHAR(20) CHARACTER SET ascii COLLATE ascii_bin NULL,
      kyc_level VARCHAR(16) NOT NULL DEFAULT 'none',
      status VARCHAR(16) NOT NULL DEFAULT 'active',
      created_at ${now},
      updated_at ${now} ON UPDATE CURRENT_TIMESTAMP(3),
      UNIQUE KEY uq_users_handle (handle),
      KEY ix_users_email (email)
    ) ${table}`);

    // Cognito (or any IdP) subject → our user: a pool can be replaced without touching the ledger.
    await q.query(`CREATE TABLE identities (
      issuer VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      subject VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      user_id ${id} NOT NULL,
      created_at ${now},
      PRIMARY KEY (issuer, subject),
      KEY ix_identities_user (user_id)
    ) ${table}`);

    await q.query(`CREATE TABLE merchants (
      id ${id} NOT NULL PRIMARY KEY,
      name VARCHAR(100) NOT NULL,
      created_at ${now}
    ) ${table}`);

    // kind: user | merchant | system. System accounts are never updated per operation (no hot row):
    // their balance is derived from their postings.
    await q.query(`CREATE TABLE accounts (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      kind VARCHAR(16) NOT NULL,
      owner_id ${id} NULL,
      system_code VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL,
      currency CHAR(3) CHARACTER SET ascii NOT NULL DEFAULT 'JPY',
      balance BIGINT NOT NULL DEFAULT 0,
      seq BIGINT NOT NULL DEFAULT 0,
      status VARCHAR(16) NOT NULL DEFAULT 'active',
      created_at ${now},
      updated_at ${now} ON UPDATE CURRENT_TIMESTAMP(3),
      UNIQUE KEY uq_accounts_owner (kind, owner_id),
      UNIQUE KEY uq_accounts_system (system_code)
    ) ${table}`);
    await q.query(
      `INSERT INTO accounts (kind, system_code) VALUES
        ('system', 'bank_clearing'), ('system', 'atm_clearing'), ('system', 'inflight_withdrawals'), ('system', 'legacy_migration')`,
    );

    await q.query(`CREATE TABLE journal_entries (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      kind VARCHAR(32) NOT NULL,
      op_id ${id} NOT NULL,
      created_at ${now},
      KEY ix_entries_op (op_id)
    ) ${table}`);

    // seq/balance_after only on user and merchant accounts: history pages by (account_id, seq).
    await q.query(`CREATE TABLE postings (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      entry_id BIGINT NOT NULL,
      account_id BIGINT NOT NULL,
      amount BIGINT NOT NULL,
      seq BIGINT NULL,
      balance_after BIGINT NULL,
      op_type VARCHAR(32) NOT NULL,
      op_id ${id} NOT NULL,
      counterparty_id ${id} NULL,
      memo VARCHAR(200) NULL,
      created_at ${now},
      UNIQUE KEY uq_postings_account_seq (account_id, seq),
      KEY ix_postings_entry (entry_id),
      KEY ix_postings_op (op_id)
    ) ${table}`);

    const moneyRow = (extra: string) => `
      id ${id} NOT NULL PRIMARY KEY,
      initiator_id ${id} NOT NULL,
      idempotency_key ${key} NOT NULL,
      ${extra},
      created_at ${now},
      UNIQUE KEY uq_initiator_key (initiator_id, idempotency_key)`;

    await q.query(
      `CREATE TABLE transfers (${moneyRow(`
      from_user_id ${id} NOT NULL,
      to_user_id ${id} NOT NULL,
      amount BIGINT NOT NULL,
      memo VARCHAR(200) NULL,
      KEY ix_transfers_from (from_user_id, created_at),
      KEY ix_transfers_to (to_user_id, created_at)`)}) ${table}`,
    );

    await q.query(
      `CREATE TABLE payments (${moneyRow(`
      merchant_id ${id} NOT NULL,
      amount BIGINT NOT NULL,
      reference VARCHAR(64) NULL,
      KEY ix_payments_merchant (merchant_id, created_at)`)}) ${table}`,
    );

    await q.query(`CREATE TABLE bank_accounts (
      id ${id} NOT NULL PRIMARY KEY,
      user_id ${id} NOT NULL,
      bank_code CHAR(4) CHARACTER SET ascii NOT NULL,
      branch_code CHAR(3) CHARACTER SET ascii NOT NULL,
      account_number_enc VARBINARY(512) NOT NULL,
      last4 CHAR(4) CHARACTER SET ascii NOT NULL,
      holder_name VARCHAR(100) NOT NULL,
      status VARCHAR(24) NOT NULL,
      created_at ${now},
      updated_at ${now} ON UPDATE CURRENT_TIMESTAMP(3),
      deleted_at DATETIME(3) NULL,
      KEY ix_bank_accounts_user (user_id, deleted_at)
    ) ${table}`);

    // External rails: pending until the bank answers; the recovery job finds stale ones by status.
    for (const rail of ['charges', 'withdrawals']) {
      await q.query(
        `CREATE TABLE ${rail} (${moneyRow(`
        bank_account_id ${id} NOT NULL,
        amount BIGINT NOT NULL,
        status VARCHAR(16) NOT NULL,
        failure_reason VARCHAR(64) NULL,
        updated_at ${now} ON UPDATE CURRENT_TIMESTAMP(3),
        KEY ix_${rail}_status (status, updated_at),
        KEY ix_${rail}_bank_account (bank_account_id, status)`)}) ${table}`,
      );
    }

    await q.query(`CREATE TABLE idempotency_keys (
      user_id ${id} NOT NULL,
      idem_key ${key} NOT NULL,
      method VARCHAR(8) CHARACTER SET ascii NOT NULL,
      path VARCHAR(512) NOT NULL,
      body_hash CHAR(64) CHARACTER SET ascii NOT NULL,
      state VARCHAR(16) NOT NULL,
      status_code SMALLINT NULL,
      response MEDIUMTEXT NULL,
      created_at ${now},
      expires_at DATETIME(3) NOT NULL,
      PRIMARY KEY (user_id, idem_key),
      KEY ix_idempotency_expires (expires_at)
    ) ${table}`);

    await q.query(`CREATE TABLE outbox (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      topic VARCHAR(64) NOT NULL,
      aggregate_id ${id} NOT NULL,
      version INT NOT NULL,
      payload MEDIUMTEXT NOT NULL,
      created_at ${now},
      available_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      attempts INT NOT NULL DEFAULT 0,
      last_error VARCHAR(255) NULL,
      delivered_at DATETIME(3) NULL,
      KEY ix_outbox_pending (delivered_at, available_at)
    ) ${table}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'outbox',
      'idempotency_keys',
      'withdrawals',
      'charges',
      'bank_accounts',
      'payments',
      'transfers',
      'postings',
      'journal_entries',
      'accounts',
      'merchants',
      'identities',
      'users',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
