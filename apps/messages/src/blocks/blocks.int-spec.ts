import { randomUUID } from 'node:crypto';
import { directConversationId } from '@paychat/contracts';
import { history, outcomes, transferEvent } from '../testing/relayed-events';
import { MessagesHarness, TestChatUser } from '../../../../test/harness/messages-harness';

describe('blocks (messages on DynamoDB Local)', () => {
  let m: MessagesHarness;
  beforeAll(async () => (m = await MessagesHarness.start()));
  afterAll(() => m.stop());

  const block = (u: TestChatUser, other: TestChatUser) =>
    m.call('PUT', `/v2/blocks/${other.userId}`, { token: u.token });
  const unblock = (u: TestChatUser, other: TestChatUser) =>
    m.call('DELETE', `/v2/blocks/${other.userId}`, { token: u.token });
  const startChat = (u: TestChatUser, others: TestChatUser[], title?: string) =>
    m.call('POST', '/v2/conversations', {
      token: u.token,
      body: { memberIds: others.map((o) => o.userId), ...(title ? { title } : {}) },
    });
  const codeOf = (res: { status: number; body: { code?: string } }) => [res.status, res.body.code];

  it('blocks and unblocks idempotently; my list pages by user id; nobody else sees it', async () => {
    const [me, x, y, z] = await Promise.all([m.user(), m.user(), m.user(), m.user()]);
    for (const other of [x, y, z, y]) expect((await block(me, other)).status).toBe(204);
    const first = await m.call('GET', '/v2/blocks?limit=2', { token: me.token });
    const rest = await m.call('GET', `/v2/blocks?limit=2&cursor=${first.body.nextCursor}`, {
      token: me.token,
    });
    const listed = [...first.body.items, ...rest.body.items];
    expect(listed.map((b: { userId: string }) => b.userId)).toEqual([x.userId, y.userId, z.userId].sort());
    expect(listed[0]).toEqual({ userId: expect.any(String), createdAt: expect.any(String) });
    expect((await unblock(me, y)).status).toBe(204);
    expect((await unblock(me, y)).status).toBe(204);
    const after = await m.call('GET', '/v2/blocks', { token: me.token });
    expect(after.body).toEqual({ items: [expect.anything(), expect.anything()], nextCursor: null });
    expect((await m.call('GET', '/v2/blocks', { token: x.token })).body.items).toEqual([]);

    expect(codeOf(await block(me, me))).toEqual([400, 'validation_failed']);
    for (const path of ['/v2/blocks/nope', '/v2/blocks?cursor=bm9wZQ', '/v2/blocks?limit=0']) {
      const res = await m.call(path.includes('?') ? 'GET' : 'PUT', path, { token: me.token });
      expect(codeOf(res)).toEqual([400, 'validation_failed']);
    }
    expect((await m.call('GET', '/v2/blocks')).status).toBe(401);
  });

  it('a block either way stops direct messages, new chats and invitations between the pair; unblocking restores them', async () => {
    const [alice, mallory, carol, dave] = await Promise.all([m.user(), m.user(), m.user(), m.user()]);
    const direct = await m.conversation(alice, [mallory]);
    const group = await m.conversation(alice, [carol, dave], 'Friends');
    const before = await m.send(mallory, direct, 'hi', 'k-1');
    expect((await block(alice, mallory)).status).toBe(204);

    for (const [from, key] of [
      [mallory, 'k-2'],
      [alice, 'k-3'], // both ways: the blocker cannot write into the chat either
    ] as const)
      expect(codeOf(await m.send(from, direct, 'hello?', key))).toEqual([403, 'blocked']);
    // A retry of a message sent before the block is still answered with it.
    expect((await m.send(mallory, direct, 'hi', 'k-1')).body.id).toBe(before.body.id);
    expect(codeOf(await startChat(mallory, [alice]))).toEqual([403, 'blocked']);
    expect(codeOf(await startChat(mallory, [alice, carol], 'Party'))).toEqual([403, 'blocked']);
    const invited = await m.call('POST', `/v2/conversations/${group}/members`, {
      token: alice.token,
      body: { memberIds: [mallory.userId] },
    });
    expect(codeOf(invited)).toEqual([403, 'blocked']);
    // The existing chat and its history stay readable for both; nothing was written.
    for (const u of [alice, mallory]) {
      const res = await m.call('GET', `/v2/conversations/${direct}/messages`, { token: u.token });
      expect(res.body.items.map((i: { text: string }) => i.text)).toEqual(['hi']);
    }
    expect(
      (await m.call('GET', `/v2/conversations/${group}`, { token: alice.token })).body.memberIds,
    ).toEqual([alice.userId, carol.userId, dave.userId]);

    expect((await unblock(alice, mallory)).status).toBe(204);
    expect((await m.send(mallory, direct, 'sorry', randomUUID())).status).toBe(201);
    expect((await startChat(mallory, [alice])).status).toBe(200);
    expect((await startChat(mallory, [alice, carol], 'Party')).status).toBe(201);
  });

  it('does not touch groups both are already in, nor money the wallet relays into the direct chat', async () => {
    const [alice, mallory, carol] = await Promise.all([m.user(), m.user(), m.user()]);
    const group = await m.conversation(carol, [alice, mallory], 'Club');
    await block(alice, mallory);
    expect((await m.send(mallory, group, 'still in the club', randomUUID())).status).toBe(201);
    // A transfer is money already moved: it is recorded in the pair's chat whatever the block.
    expect(await outcomes(m, [transferEvent(mallory.userId, alice.userId)])).toEqual(['applied']);
    const direct = directConversationId(alice.userId, mallory.userId);
    expect((await history(m, alice, direct)).map((i) => i.kind)).toEqual(['transfer']);
  });
});
