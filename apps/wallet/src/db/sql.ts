/**
 * What money code needs from a connection: one method. A SqlTransaction provides it, and so do
 * TypeORM's DataSource and EntityManager (autocommit, for reads and single writes).
 */
export interface Sql {
  // Rows or OkPacket(s), as the driver returns them; callers state the shape they expect.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(sql: string, params?: unknown[]): Promise<any>;
}
