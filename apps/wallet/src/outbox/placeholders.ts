/** `?, ?, …` for an IN list of `n` bound values. */
export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');
