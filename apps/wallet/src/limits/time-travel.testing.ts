import type mysql from 'mysql2/promise';

/**
 * Tests only: moves an account's postings and its counters' stamps back together, as if that much
 * time had passed since (the counters stay consistent with the postings). Meant for an account
 * whose outflows all happened today.
 */
export async function travelBack(db: mysql.Connection, accountId: string, by: '1 DAY' | '1 MONTH') {
  await db.query(`UPDATE postings SET created_at = created_at - INTERVAL ${by} WHERE account_id = ?`, [
    accountId,
  ]);
  await db.query(
    `UPDATE accounts SET outflow_month_of = DATE_FORMAT(outflow_day_of - INTERVAL ${by}, '%Y-%m-01'),
       outflow_day_of = outflow_day_of - INTERVAL ${by} WHERE id = ?`,
    [accountId],
  );
}
