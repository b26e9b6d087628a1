/** One SQL statement with its bound values, for batching into a caller's round trip. */
export interface Statement {
  sql: string;
  params: unknown[];
}
