/**
 * BIGINT columns arrive as strings (bigNumberStrings); money goes on the wire as a JSON integer.
 * Refuses (500) rather than rounding a value a double cannot hold exactly.
 */
export function toSafeInteger(value: string | number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`integer out of the safe range: ${value}`);
  return n;
}
