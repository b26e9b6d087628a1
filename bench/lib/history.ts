import type mysql from 'mysql2/promise';
import { jstPeriods } from '../../apps/wallet/src/limits/kyc-limits';
import { fillOutflowCounters } from '../../apps/wallet/src/ledger/accounts.repository';

export interface Member {
  accountId: string;
  userId: string;
}

/** Seeded transfer ids: this prefix + the history row number, in the ULID alphabet (26 characters). */
const ID = (row: string) => `CONCAT('01HSTRY', LPAD(${row}, 19, '0'))`;
/** The two legs of a seeded transfer, as TransferFunds posts them: the payer's first. */
const LEGS = `
  SELECT h.id AS hid, 0 AS leg, f.account_id, -h.amount AS amount, 'transfer_out' AS op_type, t.user_id AS counterparty_id, h.created_at
  FROM bench_history h JOIN bench_members f ON f.r = h.from_r JOIN bench_members t ON t.r = h.to_r
  UNION ALL
  SELECT h.id, 1, t.account_id, h.amount, 'transfer_in', f.user_id, h.created_at
  FROM bench_history h JOIN bench_members f ON f.r = h.from_r JOIN bench_members t ON t.r = h.to_r`;

/**
 * Gives each of `members` (at least 2) `outflowsEach` transfers out this JST month — the limit
 * check's window — each to another member (so as many in), spread evenly from the start of the
 * month to a minute ago. Seeded by SQL in a few set statements, shaped as TransferFunds writes a
 * transfer: the transfers row, a journal entry, its two postings with each account's seq and
 * balance_after running on from the account row, and the account rows moved to match (the ledger
 * stays balanced), their KYC outflow counters included. Not seeded: their idempotency keys and delivered outbox rows (the janitor purges
 * both) and their chat messages. Returns how many transfers it wrote.
 */
export async function seedHistory(
  db: mysql.Connection,
  members: Member[],
  outflowsEach: number,
  now = new Date(),
): Promise<number> {
  const n = members.length;
  if (n < 2) throw new Error('history needs at least two members');
  const { monthStart } = jstPeriods(now);
  const microsApart = Math.max(
    0,
    ((now.getTime() - 60_000 - monthStart.getTime()) * 1000) / (n * outflowsEach),
  );

  await db.query(`CREATE TABLE bench_members (
    r INT NOT NULL PRIMARY KEY, account_id BIGINT NOT NULL, user_id CHAR(26) CHARACTER SET ascii COLLATE ascii_bin NOT NULL)`);
  await db.query('CREATE TABLE bench_numbers (k INT NOT NULL PRIMARY KEY)');
  await db.query(`CREATE TABLE bench_history (
    id BIGINT NOT NULL PRIMARY KEY, from_r INT NOT NULL, to_r INT NOT NULL, amount BIGINT NOT NULL, created_at DATETIME(3) NOT NULL)`);
  try {
    for (let i = 0; i < n; i += 1000)
      await db.query('INSERT INTO bench_members (r, account_id, user_id) VALUES ?', [
        members.slice(i, i + 1000).map((m, j) => [i + j, m.accountId, m.userId]),
      ]);
    await db.query('INSERT INTO bench_numbers (k) VALUES ?', [
      Array.from({ length: outflowsEach }, (_, k) => [k]),
    ]);
    // Row k·n + r + 1: member r's k-th transfer, to a pseudo-random other member, 1–100 yen.
    await db.query(
      `INSERT INTO bench_history (id, from_r, to_r, amount, created_at)
       SELECT k * ${n} + r + 1, r, MOD(r + 1 + MOD(k * 7919 + r * 104729, ${n - 1}), ${n}), 1 + MOD(k * 31 + r * 17, 100),
              ? + INTERVAL FLOOR((k * ${n} + r) * ?) MICROSECOND
       FROM bench_numbers CROSS JOIN bench_members`,
      [monthStart, microsApart],
    );
    await db.query(
      `INSERT INTO transfers (id, initiator_id, idempotency_key, from_user_id, to_user_id, amount, memo, created_at)
       SELECT ${ID('h.id')}, f.user_id, CONCAT('bench-history-', h.id), f.user_id, t.user_id, h.amount, NULL, h.created_at
       FROM bench_history h JOIN bench_members f ON f.r = h.from_r JOIN bench_members t ON t.r = h.to_r ORDER BY h.id`,
    );
    const [[{ base }]] = (await db.query(
      'SELECT COALESCE(MAX(id), 0) AS base FROM journal_entries',
    )) as unknown as [[{ base: string }]];
    await db.query(
      `INSERT INTO journal_entries (id, kind, op_id, created_at)
       SELECT ? + h.id, 'transfer', ${ID('h.id')}, h.created_at FROM bench_history h ORDER BY h.id`,
      [base],
    );
    await db.query(
      `INSERT INTO postings (entry_id, account_id, amount, seq, balance_after, op_type, op_id, counterparty_id, memo, created_at)
       SELECT ? + l.hid, l.account_id, l.amount,
              a.seq + ROW_NUMBER() OVER (PARTITION BY l.account_id ORDER BY l.hid, l.leg),
              a.balance + SUM(l.amount) OVER (PARTITION BY l.account_id ORDER BY l.hid, l.leg ROWS UNBOUNDED PRECEDING),
              l.op_type, ${ID('l.hid')}, l.counterparty_id, NULL, l.created_at
       FROM (${LEGS}) l JOIN accounts a ON a.id = l.account_id
       ORDER BY l.hid, l.leg`,
      [base],
    );
    await db.query(
      `UPDATE accounts a
       JOIN (SELECT p.account_id, MAX(p.seq) AS seq FROM postings p JOIN bench_members m ON m.account_id = p.account_id
             GROUP BY p.account_id) last ON last.account_id = a.id
       JOIN postings p ON p.account_id = last.account_id AND p.seq = last.seq
       SET a.balance = p.balance_after, a.seq = p.seq`,
    );
  } finally {
    await db.query('DROP TABLE IF EXISTS bench_history, bench_numbers, bench_members');
  }
  // The accounts' running KYC outflow counters (migration 1795500000000), from the postings just seeded.
  await fillOutflowCounters(db);
  return n * outflowsEach;
}
