/**
 * What money code needs from a connection: one method. Both TypeORM's EntityManager and the raw
 * mysql2 connection of IdempotentOperation (db/money-connection.ts) provide it.
 */
export interface Sql {
  // Rows or OkPacket(s), as the driver returns them; callers state the shape they expect.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(sql: string, params?: unknown[]): Promise<any>;
}
