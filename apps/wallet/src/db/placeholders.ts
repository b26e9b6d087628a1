/** `?, ?, …` for an IN list of `n` bound values (or `n` copies of `item`, e.g. a row's tuple). */
export const placeholders = (n: number, item = '?'): string =>
  Array.from({ length: n }, () => item).join(', ');
