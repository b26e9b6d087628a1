import { decodeCursor, encodeCursor, pageOf } from './cursor';

interface SeqCursor {
  seq: number;
}
const decodeSeq = (cursor: string) => decodeCursor<SeqCursor>(cursor, (c) => Number.isSafeInteger(c.seq));

const invalid = expect.objectContaining({
  code: 'validation_failed',
  errors: [{ field: 'cursor', message: 'cursor is not valid' }],
});

describe('page cursors', () => {
  it('round-trips a payload through an opaque base64url string that is not the raw position', () => {
    const cursor = encodeCursor({ seq: 42 });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('42');
    expect(decodeSeq(cursor)).toEqual({ seq: 42 });
  });

  it.each([
    ['not base64url JSON', 'bm9wZQ'],
    ['a raw id', '12345'],
    ['JSON that is not an object', encodeCursor([42] as object)],
    ['JSON null', Buffer.from('null').toString('base64url')],
    ['an object the list does not accept', encodeCursor({ seq: '42' })],
    ['a truncated cursor', encodeCursor({ seq: 42 }).slice(0, -3)],
  ])('refuses %s with 400 validation_failed on cursor', (_, cursor) => {
    expect(() => decodeSeq(cursor)).toThrow(invalid);
  });
});

describe('a page from LIMIT n + 1 rows', () => {
  const seqs = (n: number) => Array.from({ length: n }, (_, i) => ({ seq: 10 - i }));
  const page = (rows: { seq: number }[]) =>
    pageOf(
      rows,
      3,
      (r) => `#${r.seq}`,
      (last) => ({ seq: last.seq }),
    );

  it('keeps `limit` rows and continues after the last one kept when one more was read', () => {
    const { items, nextCursor } = page(seqs(4));
    expect(items).toEqual(['#10', '#9', '#8']);
    expect(decodeSeq(nextCursor!)).toEqual({ seq: 8 });
  });

  it.each([3, 2, 0])('ends (no cursor) when %i rows came back', (n) => {
    expect(page(seqs(n))).toEqual({ items: seqs(n).map((r) => `#${r.seq}`), nextCursor: null });
  });
});
