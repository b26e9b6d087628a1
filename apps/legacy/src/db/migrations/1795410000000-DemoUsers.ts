import { MigrationInterface, QueryRunner } from 'typeorm';
import { appliedBySqlRunner } from './sql-runner-ledger';

const EMAILS = ['taro@legacy.paychat.local', 'hanako@legacy.paychat.local', 'jiro@legacy.paychat.local'];

/**
 * Demo users of the legacy app (bcrypt cost 10). Passwords: LegacyPass1! / LegacyPass2! / LegacyPass3!
 * Balances are looked up by email, so the seed does not depend on AUTO_INCREMENT values.
 */
export class DemoUsers1795410000000 implements MigrationInterface {
  name = 'DemoUsers1795410000000';

  async up(q: QueryRunner): Promise<void> {
    // This migration was 002_seed.sql; rerunning it would bring back users the carve-out moved or removed.
    if (await appliedBySqlRunner(q, '002_seed.sql')) return;
    await q.query(
      `INSERT INTO users (email, password_hash, name) VALUES
      (?, '$2b$10$vjqTB.EReHr0Sm4VBBGdoO5Y3rphx3h/toh0kuqbg4AE44U6V4Ghe', '太郎'),
      (?, '$2b$10$UBF.LckepGtGltA/U9E/KOsq45RJrHOrolg2GpjvFtvbWtZqtx4Uy', '花子'),
      (?, '$2b$10$O2LNmDyVcNT3qW5VmpcSBekf.fquVuBGXMi36sO91Dziqrq/datcK', '次郎')`,
      EMAILS,
    );
    await q.query(
      `INSERT INTO balances (user_id, amount)
       SELECT id, 5000 FROM users WHERE email = ?
       UNION ALL SELECT id, 12000 FROM users WHERE email = ?
       UNION ALL SELECT id, 0 FROM users WHERE email = ?`,
      EMAILS,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'DELETE FROM balances WHERE user_id IN (SELECT id FROM users WHERE email IN (?, ?, ?))',
      EMAILS,
    );
    await q.query('DELETE FROM users WHERE email IN (?, ?, ?)', EMAILS);
  }
}
