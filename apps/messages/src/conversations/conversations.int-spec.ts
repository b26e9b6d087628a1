import { randomUUID } from 'node:crypto';
import { directConversationId } from '@paychat/contracts';
import { ulid } from 'ulid';
import { MessagesHarness, TestChatUser } from '../../../../test/harness/messages-harness';

describe('conversations (messages on DynamoDB Local)', () => {
  let m: MessagesHarness;
  let a: TestChatUser;
  let b: TestChatUser;
  let c: TestChatUser;
  beforeAll(async () => {
    m = await MessagesHarness.start();
    [a, b, c] = await Promise.all([m.user(), m.user(), m.user()]);
  });
  afterAll(() => m.stop());

  it('needs a token', async () => {
    expect((await m.call('GET', '/v2/conversations')).status).toBe(401);
  });

  it('creates one direct chat per pair, even when both sides ask at once', async () => {
    const [x, y] = await Promise.all([m.user(), m.user()]);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => {
        const [me, other] = i % 2 ? [x, y] : [y, x];
        return m.call('POST', '/v2/conversations', { token: me.token, body: { memberIds: [other.userId] } });
      }),
    );
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    expect(answers.filter((r) => r.status === 200)).toHaveLength(9);
    const ids = new Set(answers.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(answers[0].body).toMatchObject({ kind: 'direct', title: null, lastMessage: null, unreadCount: 0 });
    expect([...answers[0].body.memberIds].sort()).toEqual([x.userId, y.userId].sort());
    for (const u of [x, y]) {
      const list = await m.call('GET', '/v2/conversations', { token: u.token });
      expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([...ids]);
    }
  });

  it('creates groups (caller included, up to 100 members) and shows them to every member', async () => {
    const res = await m.call('POST', '/v2/conversations', {
      token: a.token,
      body: { memberIds: [b.userId, c.userId], title: 'Trip' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'group', title: 'Trip', unreadCount: 0 });
    expect(res.body.memberIds).toEqual([a.userId, b.userId, c.userId]);
    const seen = await m.call('GET', `/v2/conversations/${res.body.id}`, { token: c.token });
    expect(seen.status).toBe(200);
    expect(seen.body.id).toBe(res.body.id);

    // 99 others is the max (users of the wallet's directory that never signed in).
    const many = await m.directoryUsers(100);
    const big = await m.call('POST', '/v2/conversations', {
      token: a.token,
      body: { memberIds: many.slice(0, 99) },
    });
    expect(big.status).toBe(201);
    expect(big.body.memberIds).toHaveLength(100);
    const tooMany = await m.call('POST', '/v2/conversations', { token: a.token, body: { memberIds: many } });
    expect([tooMany.status, tooMany.body.code]).toEqual([400, 'validation_failed']);
  });

  it('refuses members who are not active users of the wallet, writing nothing', async () => {
    const [ghost] = await m.directoryUsers(1);
    await m.wallet.db.query(`UPDATE users SET status = 'disabled' WHERE id = ?`, [ghost]);
    for (const memberIds of [[ulid()], [b.userId, ulid()], [ghost]]) {
      const res = await m.call('POST', '/v2/conversations', { token: a.token, body: { memberIds } });
      expect([res.status, res.body.code]).toEqual([404, 'recipient_not_found']);
    }
    const list = await m.call('GET', '/v2/conversations?limit=100', { token: a.token });
    const direct = directConversationId(a.userId, ghost);
    expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(direct);
  });

  it('lists my chats latest activity first, with lastMessage and unreadCount, in cursor pages', async () => {
    const [me, p1, p2, p3] = await Promise.all([m.user(), m.user(), m.user(), m.user()]);
    const c1 = await m.conversation(me, [p1]);
    const c2 = await m.conversation(me, [p2]);
    const c3 = await m.conversation(p3, [me]);
    expect((await m.send(p1, c1, 'hi from p1', 'k1')).status).toBe(201);
    await m.fanoutIdle();

    const first = await m.call('GET', '/v2/conversations?limit=2', { token: me.token });
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: { id: string }) => i.id)).toEqual([c1, c3]);
    expect(first.body.items[0]).toMatchObject({
      unreadCount: 1,
      lastMessage: { text: 'hi from p1', senderId: p1.userId, kind: 'text', conversationId: c1 },
    });
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const rest = await m.call('GET', `/v2/conversations?limit=2&cursor=${first.body.nextCursor}`, {
      token: me.token,
    });
    expect(rest.body.items.map((i: { id: string }) => i.id)).toEqual([c2]);

    // My own send moves the chat up for me synchronously, and is never unread for me.
    await m.send(me, c2, 'me in c2', 'k2');
    await m.fanoutIdle();
    const again = await m.call('GET', '/v2/conversations', { token: me.token });
    expect(again.body.items.map((i: { id: string }) => i.id)).toEqual([c2, c1, c3]);
    expect(again.body.items[0].unreadCount).toBe(0);
    expect(again.body.nextCursor).toBeNull();
    const theirs = await m.call('GET', '/v2/conversations', { token: p2.token });
    expect(theirs.body.items[0]).toMatchObject({ id: c2, unreadCount: 1 });
  });

  it('answers 404 to non-members on every conversation route, as for an unknown id', async () => {
    const conv = await m.conversation(a, [b]);
    const sent = await m.send(a, conv, 'secret', randomUUID());
    const unknown = 'G-01ARZ3NDEKTSV4RRFFQ69G5FAV';
    for (const id of [conv, unknown]) {
      const answers = [
        await m.call('GET', `/v2/conversations/${id}`, { token: c.token }),
        await m.call('GET', `/v2/conversations/${id}/messages`, { token: c.token }),
        await m.send(c, id, 'let me in', randomUUID()),
        await m.call('POST', `/v2/conversations/${id}/read`, {
          token: c.token,
          body: { messageId: sent.body.id },
        }),
      ];
      for (const res of answers) {
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('not_found');
        expect(JSON.stringify(res.body)).not.toContain('secret');
      }
    }
    const list = await m.call('GET', '/v2/conversations', { token: c.token });
    expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(conv);
  });

  it('rejects bad conversation input with 400 validation_failed', async () => {
    const cases: unknown[] = [
      {},
      { memberIds: [] },
      { memberIds: 'x' },
      { memberIds: [b.userId, b.userId] },
      { memberIds: ['bad id!'] },
      { memberIds: [a.userId] }, // only myself
      { memberIds: [b.userId], kind: 'group' },
      { memberIds: [b.userId, c.userId], title: 'x'.repeat(101) },
    ];
    for (const body of cases) {
      const res = await m.call('POST', '/v2/conversations', { token: a.token, body });
      expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
    }
    const unknownField = await m.call('POST', '/v2/conversations', {
      token: a.token,
      body: { memberIds: [b.userId], kind: 'group' },
    });
    expect(unknownField.body.errors).toEqual([{ field: 'kind', message: 'unknown field' }]);
    for (const path of [
      '/v2/conversations/not-an-id',
      '/v2/conversations?limit=0',
      '/v2/conversations?limit=101',
    ]) {
      const res = await m.call('GET', path, { token: a.token });
      expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
    }
    const badCursor = await m.call('GET', '/v2/conversations?cursor=bm9wZQ', { token: a.token });
    expect(badCursor.status).toBe(400);
  });
});
