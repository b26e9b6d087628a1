import { randomUUID } from 'node:crypto';
import type { MessageView } from './message';
import { MessagesHarness, TestChatUser } from '../../../../test/harness/messages-harness';

const seqOf = (id: string) => Number(id.split('.')[1]);

describe('messages (DynamoDB Local)', () => {
  let m: MessagesHarness;
  let a: TestChatUser;
  let b: TestChatUser;
  beforeAll(async () => {
    m = await MessagesHarness.start();
    [a, b] = await Promise.all([m.user(), m.user()]);
  });
  afterAll(() => m.stop());

  const history = (u: TestChatUser, conv: string, query = '') =>
    m.call('GET', `/v2/conversations/${conv}/messages${query}`, { token: u.token });
  const unread = async (u: TestChatUser, conv: string) =>
    (await m.call('GET', `/v2/conversations/${conv}`, { token: u.token })).body.unreadCount as number;
  const read = (u: TestChatUser, conv: string, messageId: string) =>
    m.call('POST', `/v2/conversations/${conv}/read`, { token: u.token, body: { messageId } });

  it('sends a text message: 201 with the message view; the same clientMessageId again → 200, same message', async () => {
    const conv = await m.conversation(a, [b], undefined);
    const first = await m.send(a, conv, 'hello', 'c-1');
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      id: `${conv}.1`,
      conversationId: conv,
      senderId: a.userId,
      kind: 'text',
      text: 'hello',
      createdAt: expect.any(String),
    });
    const again = await m.send(a, conv, 'hello', 'c-1');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    // The same clientMessageId from another sender is another message.
    expect((await m.send(b, conv, 'hello', 'c-1')).status).toBe(201);
  });

  it('10 concurrent sends with the same clientMessageId make one message; with different ids, ten', async () => {
    const conv = await m.conversation(a, [await m.user()]);
    const same = await Promise.all(Array.from({ length: 10 }, () => m.send(a, conv, 'once', 'same-key')));
    expect(same.filter((r) => r.status === 201)).toHaveLength(1);
    expect(same.filter((r) => r.status === 200)).toHaveLength(9);
    expect(new Set(same.map((r) => r.body.id)).size).toBe(1);
    expect((await history(a, conv)).body.items).toHaveLength(1);

    const distinct = await Promise.all(
      Array.from({ length: 10 }, (_, i) => m.send(a, conv, `n${i}`, `key-${i}`)),
    );
    expect(distinct.map((r) => r.status)).toEqual(Array(10).fill(201));
    const items = (await history(a, conv, '?limit=100')).body.items as MessageView[];
    expect(items.map((i) => seqOf(i.id))).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(new Set(items.map((i) => i.text)).size).toBe(11);
  });

  it('walks ≥ 100 messages newest-first and oldest-first, each exactly once, in order, while others are sent', async () => {
    const [a, b] = await Promise.all([m.user(), m.user()]);
    const conv = await m.conversation(a, [b]);
    for (let i = 0; i < 105; i += 5)
      await Promise.all(Array.from({ length: 5 }, (_, j) => m.send(b, conv, `m${i + j}`, `w${i + j}`)));

    let sending = true;
    let extra = 0;
    const background = (async () => {
      while (sending) await m.send(b, conv, `late${extra}`, `late-${extra++}`);
    })();
    try {
      // Newest first: the first page is the newest; `before` continues down to seq 1.
      const down: MessageView[] = [];
      let page = await history(a, conv, '?limit=7');
      const top = seqOf(page.body.items[0].id);
      expect(top).toBeGreaterThanOrEqual(105);
      for (;;) {
        expect(page.status).toBe(200);
        down.push(...page.body.items);
        if (!page.body.nextCursor) break;
        page = await history(a, conv, `?limit=7&cursor=${page.body.nextCursor}`);
      }
      expect(down.map((i) => seqOf(i.id))).toEqual(Array.from({ length: top }, (_, i) => top - i));

      // Oldest first from the first message: never skips or repeats, sees the late ones too.
      const up: MessageView[] = [down[down.length - 1]];
      let query: string | null = `after=${up[0].id}`;
      while (query) {
        page = await history(a, conv, `?limit=9&${query}`);
        up.push(...page.body.items);
        query = page.body.nextCursor ? `cursor=${page.body.nextCursor}` : null;
      }
      const seqs = up.map((i) => seqOf(i.id));
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect(seqs.length).toBeGreaterThanOrEqual(top);
    } finally {
      sending = false;
      await background;
    }
    const rest = await history(a, conv, '?limit=100');
    expect(rest.body.items.map((i: MessageView) => seqOf(i.id))[0]).toBe(105 + extra);
    expect(rest.body.nextCursor).toEqual(expect.any(String));
    expect(await unread(a, conv)).toBe(100); // capped
    expect(await unread(b, conv)).toBe(0);
  });

  it('counts unread messages from others only; the read pointer never moves backwards', async () => {
    const [x, y] = await Promise.all([m.user(), m.user()]);
    const conv = await m.conversation(x, [y]);
    const sent: string[] = [];
    for (let i = 0; i < 3; i++) sent.push((await m.send(x, conv, `t${i}`, `u${i}`)).body.id);
    expect([await unread(x, conv), await unread(y, conv)]).toEqual([0, 3]);

    expect((await read(y, conv, sent[1])).status).toBe(204);
    expect(await unread(y, conv)).toBe(1);
    expect((await read(y, conv, sent[0])).status).toBe(204); // older: no effect
    expect(await unread(y, conv)).toBe(1);
    await Promise.all([read(y, conv, sent[0]), read(y, conv, sent[2]), read(y, conv, sent[1])]);
    expect(await unread(y, conv)).toBe(0);

    await m.send(x, conv, 'more', 'u3');
    expect(await unread(y, conv)).toBe(1);
    await m.send(y, conv, 'reply', 'v0'); // replying reads everything before it; own messages never unread
    expect([await unread(x, conv), await unread(y, conv)]).toEqual([1, 0]);

    const notYet = await read(y, conv, `${conv}.99`);
    expect([notYet.status, notYet.body.code]).toEqual([404, 'not_found']);
  });

  it('history: after the newest is empty; an anchor from another conversation is 400', async () => {
    const conv = await m.conversation(a, [await m.user()]);
    const other = await m.conversation(a, [await m.user()]);
    const one = await m.send(a, conv, 'only', randomUUID());
    const after = await history(a, conv, `?after=${one.body.id}`);
    expect(after.body).toEqual({ items: [], nextCursor: null });
    const before = await history(a, conv, `?before=${one.body.id}`);
    expect(before.body).toEqual({ items: [], nextCursor: null });
    const foreign = await history(a, other, `?before=${one.body.id}`);
    expect([foreign.status, foreign.body.code]).toEqual([400, 'validation_failed']);
  });

  it('rejects bad message input with 400 validation_failed', async () => {
    const conv = await m.conversation(a, [await m.user()]);
    const bodies: unknown[] = [
      { clientMessageId: 'k', text: '' },
      { clientMessageId: 'k', text: 'x'.repeat(2001) },
      { text: 'no id' },
      { clientMessageId: '', text: 'x' },
      { clientMessageId: 'k'.repeat(65), text: 'x' },
      { clientMessageId: 'k', text: 5 },
      { clientMessageId: 'k', text: 'x', senderId: b.userId },
      { clientMessageId: 'k', text: 'x', kind: 'transfer' },
    ];
    for (const body of bodies) {
      const res = await m.call('POST', `/v2/conversations/${conv}/messages`, { token: a.token, body });
      expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await m.send(a, conv, 'x'.repeat(2000), 'max')).status).toBe(201);
    for (const q of ['?limit=0', '?limit=101', '?limit=abc', '?before=nope', `?after=${conv}.0`, '?foo=1']) {
      const res = await history(a, conv, q);
      expect([q, res.status, res.body.code]).toEqual([q, 400, 'validation_failed']);
    }
    const both = await history(a, conv, `?before=${conv}.1&after=${conv}.1`);
    expect(both.status).toBe(400);
    for (const q of [
      '?cursor=bm9wZQ',
      '?waitSeconds=5',
      `?after=${conv}.1&waitSeconds=26`,
      `?before=${conv}.1&waitSeconds=1`,
    ]) {
      const res = await history(a, conv, q);
      expect([q, res.status, res.body.code]).toEqual([q, 400, 'validation_failed']);
    }
    for (const body of [{}, { messageId: 'x' }, { messageId: `${conv}.1`, extra: true }]) {
      const res = await m.call('POST', `/v2/conversations/${conv}/read`, { token: a.token, body });
      expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
    }
  });
});
