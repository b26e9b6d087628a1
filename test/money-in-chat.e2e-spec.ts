import { randomUUID } from 'node:crypto';
import { directConversationId } from '@paychat/contracts';
import { checkLedger, HEALTHY } from '../apps/wallet/src/testing/ledger-invariants';
import { Stack, StackUser } from './stack';

interface ChatMessage {
  kind: string;
  senderId: string;
  transfer?: { transferId: string; amount: number; memo: string | null };
  paymentRequest?: { requestId: string; status: string };
}

/** Sending money inside a chat, end to end through the gateway, on the whole stack. */
describe('money in chat (whole stack through the gateway)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start();
  });
  afterAll(() => stack.stop());

  /** The chat's messages; none while the relay has not created the chat yet (404). */
  const history = async (u: StackUser, conv: string) =>
    ((await stack.call('GET', `/v2/conversations/${conv}/messages?limit=100`, { token: u.token })).body
      .items ?? []) as ChatMessage[];
  const transfersIn = async (u: StackUser, conv: string) =>
    (await history(u, conv)).filter((m) => m.kind === 'transfer');

  it('signup → charge → start a chat → send money in it → the other sees the balance and exactly one transfer message', async () => {
    const alice = await stack.signUp('Alice');
    const bob = await stack.signUp('Bob');
    expect((await stack.charge(alice, 10_000)).status).toBe(201);

    const chat = await stack.call('POST', '/v2/conversations', {
      token: alice.token,
      body: { memberIds: [bob.userId] },
    });
    expect(chat.status).toBe(201);
    const conv = String(chat.body.id);
    const hello = await stack.call('POST', `/v2/conversations/${conv}/messages`, {
      token: alice.token,
      body: { clientMessageId: randomUUID(), text: 'lunch money' },
    });
    expect(hello.status).toBe(201);

    const key = randomUUID();
    const sent = await stack.call('POST', `/v2/conversations/${conv}/transfers`, {
      token: alice.token,
      key,
      body: { amount: 1200, memo: 'lunch' },
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({
      fromUserId: alice.userId,
      toUserId: bob.userId,
      amount: 1200,
      memo: 'lunch',
      balance: 8800,
    });
    const replay = await stack.call('POST', `/v2/conversations/${conv}/transfers`, {
      token: alice.token,
      key,
      body: { amount: 1200, memo: 'lunch' },
    });
    expect([replay.status, replay.body.id, replay.headers.get('idempotent-replayed')]).toEqual([
      201,
      sent.body.id,
      'true',
    ]);

    expect((await stack.call('GET', '/v2/wallet', { token: bob.token })).body.balance).toBe(1200);
    const messages = await stack.eventually(
      () => transfersIn(bob, conv),
      (m) => m.length > 0,
    );
    expect(messages).toEqual([
      expect.objectContaining({
        kind: 'transfer',
        senderId: alice.userId,
        transfer: { transferId: sent.body.id, amount: 1200, memo: 'lunch' },
      }),
    ]);
    await new Promise((r) => setTimeout(r, 600)); // a few more relay rounds: still exactly one
    expect(await transfersIn(bob, conv)).toHaveLength(1);
  });

  it('a transfer from /v2/wallet/transfers shows up in the pair’s direct chat too, created if absent', async () => {
    const [carol, dave] = [await stack.signUp('Carol'), await stack.signUp('Dave')];
    await stack.charge(carol, 3_000);
    const sent = await stack.call('POST', '/v2/wallet/transfers', {
      token: carol.token,
      key: randomUUID(),
      body: { toUserId: dave.userId, amount: 500 },
    });
    expect(sent.status).toBe(201);
    const conv = directConversationId(carol.userId, dave.userId);
    const messages = await stack.eventually(
      () => transfersIn(dave, conv),
      (m) => m.length > 0,
    );
    expect(messages.map((m) => m.transfer!.transferId)).toEqual([sent.body.id]);
    const list = await stack.call('GET', '/v2/conversations', { token: dave.token });
    expect(list.body.items[0]).toMatchObject({ id: conv, unreadCount: 1 });
  });

  it('money goes in direct chats only, and only from one of the pair', async () => {
    const [erin, frank, grace] = [
      await stack.signUp('Erin'),
      await stack.signUp('Frank'),
      await stack.signUp('Grace'),
    ];
    await stack.charge(erin, 1_000);
    const group = await stack.call('POST', '/v2/conversations', {
      token: erin.token,
      body: { memberIds: [frank.userId, grace.userId], title: 'Trip' },
    });
    const inGroup = await stack.call('POST', `/v2/conversations/${group.body.id}/transfers`, {
      token: erin.token,
      key: randomUUID(),
      body: { amount: 100 },
    });
    expect([inGroup.status, inGroup.body.code]).toEqual([422, 'not_direct_conversation']);
    const notMine = await stack.call(
      'POST',
      `/v2/conversations/${directConversationId(frank.userId, grace.userId)}/transfers`,
      {
        token: erin.token,
        key: randomUUID(),
        body: { amount: 100 },
      },
    );
    expect([notMine.status, notMine.body.code]).toEqual([404, 'not_found']);
    const noKey = await stack.call(
      'POST',
      `/v2/conversations/${directConversationId(erin.userId, frank.userId)}/transfers`,
      {
        token: erin.token,
        body: { amount: 100 },
      },
    );
    expect([noKey.status, noKey.body.code]).toEqual([400, 'idempotency_key_required']);
    expect((await stack.call('GET', '/v2/wallet', { token: erin.token })).body.balance).toBe(1_000);
  });

  it('a payment request (only between people who share a chat) appears in their direct chat and its status follows the request', async () => {
    const [henry, iris] = [await stack.signUp('Henry'), await stack.signUp('Iris')];
    await stack.charge(iris, 5_000);
    const strangers = await stack.call('POST', '/v2/wallet/requests', {
      token: henry.token,
      body: { payerId: iris.userId, amount: 1500 },
    });
    expect([strangers.status, strangers.body.code]).toEqual([403, 'no_shared_chat']);
    // Asking is for people who share a chat: here a group, so the relay makes their direct chat.
    await stack.call('POST', '/v2/conversations', {
      token: iris.token,
      body: { memberIds: [henry.userId, (await stack.signUp('Jay')).userId], title: 'Cinema' },
    });
    const req = await stack.call('POST', '/v2/wallet/requests', {
      token: henry.token,
      body: { payerId: iris.userId, amount: 1500, memo: 'movie' },
    });
    expect(req.status).toBe(201);
    const conv = directConversationId(henry.userId, iris.userId);
    const requestMessage = async () => (await history(iris, conv)).find((m) => m.kind === 'payment_request');
    expect((await stack.eventually(requestMessage, (m) => !!m))?.paymentRequest).toMatchObject({
      requestId: req.body.id,
      status: 'pending',
    });
    const paid = await stack.call('POST', `/v2/wallet/requests/${req.body.id}/pay`, {
      token: iris.token,
      key: randomUUID(),
    });
    expect(paid.status).toBe(201);
    const after = await stack.eventually(requestMessage, (m) => m?.paymentRequest?.status === 'paid');
    expect(after?.paymentRequest?.status).toBe('paid');
    const transfers = await stack.eventually(
      () => transfersIn(henry, conv),
      (m) => m.length > 0,
    );
    expect(transfers.map((m) => m.transfer!.transferId)).toEqual([paid.body.transfer.id]);

    // Iris blocks Henry (the gateway routes /v2/blocks to messages): no more requests from him.
    expect((await stack.call('PUT', `/v2/blocks/${henry.userId}`, { token: iris.token })).status).toBe(204);
    const blocked = await stack.call('POST', '/v2/wallet/requests', {
      token: henry.token,
      body: { payerId: iris.userId, amount: 100 },
    });
    expect([blocked.status, blocked.body.code]).toEqual([403, 'blocked']);
  });

  it('exactly once under failure: with messages down, 20 transfers-in-chat succeed and each appears once when it is back', async () => {
    const [judy, ken] = [await stack.signUp('Judy'), await stack.signUp('Ken')];
    await stack.charge(judy, 50_000);
    const conv = directConversationId(judy.userId, ken.userId);
    await stack.stopMessages();
    const keys = Array.from({ length: 20 }, () => randomUUID());
    // As a phone does: a 429 too_many_in_flight (more than the per-user cap at once) is sent again later.
    const send = async (key: string, i: number): Promise<Awaited<ReturnType<typeof stack.call>>> => {
      const answer = await stack.call('POST', `/v2/conversations/${conv}/transfers`, {
        token: judy.token,
        key,
        body: { amount: 100 + i },
      });
      if (answer.status !== 429) return answer;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      return send(key, i);
    };
    const sent = await Promise.all(keys.map(send));
    expect(sent.map((r) => r.status)).toEqual(Array(20).fill(201));
    // The phone retries every one of them: nothing more happens.
    const replays = await Promise.all(keys.map(send));
    expect(replays.map((r) => r.body.id)).toEqual(sent.map((r) => r.body.id));
    expect((await stack.call('GET', '/v2/wallet', { token: ken.token })).body.balance).toBe(20 * 100 + 190);

    await new Promise((r) => setTimeout(r, 1000)); // the relay fails and backs off meanwhile
    await stack.startMessages();
    const messages = await stack.eventually(
      () => transfersIn(ken, conv),
      (m) => m.length >= 20,
      30_000,
    );
    const ids = messages.map((m) => m.transfer!.transferId).sort();
    expect(ids).toEqual(sent.map((r) => String(r.body.id)).sort());
    await new Promise((r) => setTimeout(r, 600));
    expect(await transfersIn(ken, conv)).toHaveLength(20);
    expect(await checkLedger(stack.wallet.db)).toEqual(HEALTHY);
  });
});
