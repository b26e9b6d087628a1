import type { Sql } from './sql';

/** BIGINT columns arrive as exact strings; money stays integer and must fit a JS safe integer. */
export function toSafeInt(value: string | number | bigint | null): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`integer out of safe range: ${String(value)}`);
  return n;
}

export async function selectOne<T>(manager: Sql, sql: string, params: unknown[]): Promise<T | undefined> {
  const rows = (await manager.query(sql, params)) as T[];
  return rows[0];
}

/** Runs a write and returns how many rows it changed. */
export async function changedRows(manager: Sql, sql: string, params: unknown[]): Promise<number> {
  const result = (await manager.query(sql, params)) as { affectedRows: number };
  return result.affectedRows;
}
