import { toSafeInt } from '../db/rows';
import type { EntryType } from '../ledger/ledger.types';

/**
 * Running outflow counters on the accounts row, so the daily and monthly KYC limits cost one
 * locked row, not a sum over history: `outflow_day` for the JST day `outflow_day_of`,
 * `outflow_month` for the JST month starting `outflow_month_of`. Every debit of a user's or
 * merchant's account whose type is an outflow counts, whether or not its leg asks for the check.
 *
 * One clock: the database's (UTC, like every timestamp here). The ledger stamps a posting's
 * created_at and its counters' periods from the same instant (@posted_at), so the counters equal
 * the sum of their stamped period's postings exactly, even at midnight JST and whatever the app
 * servers' clocks say; reconciliation therefore checks them with no tolerance window.
 */
const OUTFLOW_TYPES: readonly EntryType[] = ['transfer_out', 'payment', 'withdrawal'];
const TYPES_SQL = OUTFLOW_TYPES.map((t) => `'${t}'`).join(', ');

export const isOutflow = (leg: { amount: number; type: EntryType }): boolean =>
  leg.amount < 0 && OUTFLOW_TYPES.includes(leg.type);

/** JST has no DST: a UTC DATETIME's JST date, and a JST date's first instant in UTC. */
const jstDate = (utc: string) => `DATE(${utc} + INTERVAL 9 HOUR)`;
const jstMonth = (utc: string) => `DATE(DATE_FORMAT(${utc} + INTERVAL 9 HOUR, '%Y-%m-01'))`;
const utcStart = (jst: string) => `(TIMESTAMP(${jst}) - INTERVAL 9 HOUR)`;

/** DATE expressions for the current JST day and the first day of its month, on the database's clock. */
export const JST_TODAY = jstDate('CURRENT_TIMESTAMP(3)');
export const JST_THIS_MONTH = jstMonth('CURRENT_TIMESTAMP(3)');

export interface OutflowUsed {
  day: number;
  month: number;
}

/**
 * Select columns (over `accounts a`) for what this JST day and month have used: a counter stamped
 * with an earlier period is stale, i.e. 0. `>=`, not `=`: a statement's clock is read when it
 * starts, so a FOR UPDATE that waited past midnight on a lock may find a counter already stamped
 * with the next day by the holder — that counter is the current one.
 */
export const OUTFLOW_USED = `IF(a.outflow_day_of >= ${JST_TODAY}, a.outflow_day, 0) AS day_used,
  IF(a.outflow_month_of >= ${JST_THIS_MONTH}, a.outflow_month, 0) AS month_used`;

export interface UsedColumns {
  day_used: string | number;
  month_used: string | number;
}

export const outflowUsed = (row: UsedColumns): OutflowUsed => ({
  day: toSafeInt(row.day_used),
  month: toSafeInt(row.month_used),
});

/** The posting instant and its JST periods, set once at the start of the ledger's write batch. */
export const SET_POSTED_AT = `SET @posted_at = CURRENT_TIMESTAMP(3);
  SET @day = ${jstDate('@posted_at')}, @month = ${jstMonth('@posted_at')}`;

/**
 * SET clauses for the balance UPDATE (after @posted_at): a counter of an earlier period restarts
 * at 0. `adds` is `CASE id WHEN ? THEN ? … END` giving each account's outflow (0 if none), bound
 * twice. Each counter is computed from the old stamp whether MariaDB assigns left to right or
 * simultaneously.
 */
export const bumpCounters = (adds: string) =>
  `outflow_day = IF(outflow_day_of = @day, outflow_day, 0) + ${adds}, outflow_day_of = @day,
   outflow_month = IF(outflow_month_of = @month, outflow_month, 0) + ${adds}, outflow_month_of = @month`;

const outflowsBetween = (accountId: string, from: string, to: string) =>
  `COALESCE((SELECT SUM(-p.amount) FROM postings p WHERE p.account_id = ${accountId} AND p.amount < 0
     AND p.op_type IN (${TYPES_SQL}) AND p.created_at >= ${from} AND p.created_at < ${to}), 0)`;

/** Σ outflows of an account on the JST day named by a DATE expression (0 when NULL). */
export const outflowsOnDay = (accountId: string, day: string) =>
  outflowsBetween(accountId, utcStart(day), utcStart(`${day} + INTERVAL 1 DAY`));

/** Σ outflows of an account in the JST month starting on a DATE expression (0 when NULL). */
export const outflowsInMonth = (accountId: string, month: string) =>
  outflowsBetween(accountId, utcStart(month), utcStart(`${month} + INTERVAL 1 MONTH`));

/** WHERE condition over `accounts a`: a counter differs from its stamped period's postings. */
export const COUNTERS_OFF = `(a.outflow_day <> ${outflowsOnDay('a.id', 'a.outflow_day_of')}
  OR a.outflow_month <> ${outflowsInMonth('a.id', 'a.outflow_month_of')})`;
