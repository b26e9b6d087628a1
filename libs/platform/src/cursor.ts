import { AppError } from '@paychat/errors';
import type { Page } from './pagination';

/**
 * Every list's page cursor: the position to continue from, as base64url JSON — opaque to clients,
 * who only hand back a previous page's `nextCursor` (the contract forbids parsing or building one).
 * Not signed: each list bounds its query by the caller first (their account, their partition), so
 * a forged cursor can only move within what the caller may read anyway; the list checks the shape.
 */
export function encodeCursor(payload: object): string {
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/**
 * The payload of `cursor` if it is a JSON object that `validate` accepts (its fields are unchecked
 * until then); anything else is 400 `validation_failed` on `cursor`.
 */
export function decodeCursor<T extends object>(
  cursor: string,
  validate: (payload: Partial<Record<keyof T, unknown>>) => boolean,
): T {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw invalidCursor();
  if (!validate(payload as Partial<Record<keyof T, unknown>>)) throw invalidCursor();
  return payload as T;
}

/**
 * The page of `rows` read with `LIMIT limit + 1`: the extra row only says that more follow, and
 * the next page continues after the last row kept (`position` of it is the cursor's payload).
 */
export function pageOf<R, T>(
  rows: R[],
  limit: number,
  view: (row: R) => T,
  position: (last: R) => object,
): Page<T> {
  const kept = rows.slice(0, limit);
  return {
    items: kept.map(view),
    nextCursor: rows.length > limit ? encodeCursor(position(kept[limit - 1])) : null,
  };
}

const invalidCursor = () =>
  new AppError('validation_failed', 'Request is invalid', [
    { field: 'cursor', message: 'cursor is not valid' },
  ]);
