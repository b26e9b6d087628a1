import type { Sql } from './sql';

/** One SQL statement with its bound values, for batching into a caller's round trip. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * Sends the statements, in order, as one multi-statement query: one round trip, however many
 * tables they write (round trips bound a hot account's throughput). Resolves to the driver's
 * answer: with several SQL statements, one result per statement, in order.
 */
export function inOneRoundTrip(m: Sql, statements: Statement[]): Promise<unknown> {
  return m.query(
    statements.map((st) => st.sql).join(';\n'),
    statements.flatMap((st) => st.params),
  );
}
