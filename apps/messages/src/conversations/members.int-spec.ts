import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { MessagesHarness, TestChatUser } from '../../../../test/harness/messages-harness';

describe('group membership (messages on DynamoDB Local)', () => {
  let m: MessagesHarness;
  let a: TestChatUser;
  let b: TestChatUser;
  let c: TestChatUser;
  beforeAll(async () => {
    m = await MessagesHarness.start();
    [a, b, c] = await Promise.all([m.user(), m.user(), m.user()]);
  });
  afterAll(() => m.stop());

  const add = (u: TestChatUser, conv: string, memberIds: string[]) =>
    m.call('POST', `/v2/conversations/${conv}/members`, { token: u.token, body: { memberIds } });
  const leave = (u: TestChatUser, conv: string) =>
    m.call('POST', `/v2/conversations/${conv}/leave`, { token: u.token });
  const texts = async (u: TestChatUser, conv: string) =>
    (await m.call('GET', `/v2/conversations/${conv}/messages?limit=100`, { token: u.token })).body.items.map(
      (i: { kind: string; text: string }) => `${i.kind}:${i.text}`,
    );

  it('adds members to a group in the same transaction as a system message; newcomers start read, from there', async () => {
    const d = await m.user();
    const conv = await m.conversation(a, [b, c], 'Trip');
    await m.send(b, conv, 'before d joined', randomUUID());
    const res = await add(a, conv, [d.userId, c.userId]); // c is a member already: no-op for c
    expect(res.status).toBe(200);
    expect(res.body.memberIds).toEqual([a.userId, b.userId, c.userId, d.userId]);
    expect(await texts(d, conv)).toEqual(['system:added 1 member']);
    const seen = await m.call('GET', `/v2/conversations/${conv}`, { token: d.token });
    expect(seen.body.unreadCount).toBe(0);
    await m.send(b, conv, 'welcome', randomUUID());
    expect((await m.call('GET', `/v2/conversations/${conv}`, { token: d.token })).body.unreadCount).toBe(1);
    const list = await m.call('GET', '/v2/conversations', { token: d.token });
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(conv);
  });

  it('a newcomer reads nothing from before joining: not by old anchors, a long-poll or the preview', async () => {
    const d = await m.user();
    const conv = await m.conversation(a, [b, c], 'Secrets');
    for (const text of ['old 1', 'old 2', 'old 3']) await m.send(b, conv, text, randomUUID());
    await add(a, conv, [d.userId]); // seq 4: d's first
    const page = (query: string) =>
      m.call('GET', `/v2/conversations/${conv}/messages?${query}`, { token: d.token });
    const seqs = (res: { body: { items: { id: string }[] } }) =>
      res.body.items.map((i) => Number(i.id.split('.')[1]));

    const preview = (await m.call('GET', '/v2/conversations', { token: d.token })).body.items[0];
    expect(preview).toMatchObject({ id: conv, unreadCount: 0, lastMessage: { text: 'added 1 member' } });
    // Message ids are guessable: an anchor from before the joining reads from the joining on.
    const after = await page(`after=${conv}.1&limit=2`);
    expect([seqs(after), after.body.nextCursor]).toEqual([[4], null]);
    expect((await page(`before=${conv}.4`)).body).toEqual({ items: [], nextCursor: null });
    const polled = await page(`after=${conv}.2&waitSeconds=5`);
    expect(seqs(polled)).toEqual([4]);

    await m.send(b, conv, 'new', randomUUID()); // seq 5
    const newest = await page('limit=1');
    expect(seqs(newest)).toEqual([5]);
    const older = await page(`limit=1&cursor=${newest.body.nextCursor}`);
    expect([seqs(older), older.body.nextCursor]).toEqual([[4], null]);
    expect(seqs(await page(`after=${conv}.2&limit=5`))).toEqual([4, 5]);
    expect(await texts(b, conv)).toHaveLength(5); // the others read it all

    // Leaving and coming back: from the new joining on.
    await leave(d, conv);
    await m.send(b, conv, 'while away', randomUUID());
    await add(b, conv, [d.userId]);
    expect(await texts(d, conv)).toEqual(['system:added 1 member']);
  });

  it('a member who leaves loses access to every route at once; the others see it in the history', async () => {
    const conv = await m.conversation(a, [b, c], 'Club');
    const secret = await m.send(a, conv, 'before', randomUUID());
    expect((await leave(c, conv)).status).toBe(204);
    await m.send(a, conv, 'after c left', randomUUID());
    const answers = [
      await m.call('GET', `/v2/conversations/${conv}`, { token: c.token }),
      await m.call('GET', `/v2/conversations/${conv}/messages`, { token: c.token }),
      await m.send(c, conv, 'still here?', randomUUID()),
      await m.call('POST', `/v2/conversations/${conv}/read`, {
        token: c.token,
        body: { messageId: secret.body.id },
      }),
      await add(c, conv, [c.userId]),
      await leave(c, conv),
    ];
    for (const res of answers) expect([res.status, res.body.code]).toEqual([404, 'not_found']);
    const list = await m.call('GET', '/v2/conversations?limit=100', { token: c.token });
    expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(conv);
    expect(await texts(a, conv)).toEqual(['text:after c left', 'system:left the chat', 'text:before']);
    expect((await m.call('GET', `/v2/conversations/${conv}`, { token: a.token })).body.memberIds).toEqual([
      a.userId,
      b.userId,
    ]);
  });

  it('direct chats cannot gain or lose members; non-members and unknown users are refused', async () => {
    const direct = await m.conversation(a, [b]);
    expect([(await add(a, direct, [c.userId])).body.code, (await leave(a, direct)).body.code]).toEqual([
      'not_group_conversation',
      'not_group_conversation',
    ]);
    const group = await m.conversation(a, [b, c], 'G');
    const outsider = await m.user();
    expect((await add(outsider, group, [outsider.userId])).status).toBe(404);
    const unknown = await add(a, group, [ulid()]);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'recipient_not_found']);
    for (const body of [
      {},
      { memberIds: [] },
      { memberIds: ['nope'] },
      { memberIds: [c.userId], title: 'x' },
    ]) {
      const res = await m.call('POST', `/v2/conversations/${group}/members`, { token: a.token, body });
      expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
    }
  });

  it('a group never exceeds 100 members, even when additions race', async () => {
    const group = await m.conversation(a, [b, c], 'Big');
    const batches = [await m.directoryUsers(60), await m.directoryUsers(60)];
    const answers = await Promise.all(batches.map((ids) => add(a, group, ids)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 422]);
    expect(answers.find((r) => r.status === 422)!.body.code).toBe('member_limit_exceeded');
    const seen = await m.call('GET', `/v2/conversations/${group}`, { token: a.token });
    expect(seen.body.memberIds).toHaveLength(63);
  });
});
