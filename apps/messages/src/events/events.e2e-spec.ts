import { randomUUID } from 'node:crypto';
import { directConversationId, PAYMENT_REQUEST_CHANGED, TRANSFER_CREATED } from '@paychat/contracts';
import { callJson } from '@paychat/testing';
import { postSigned, UpstreamError } from '@paychat/signing';
import { ulid } from 'ulid';
import { OutboxRelay } from '../../../wallet/src/outbox/outbox.relay';
import { MessagesHarness, TestChatUser } from '../testing/messages-harness';

const WALLET_SECRET = 'local-wallet-secret-00001';
let nextEventId = Date.now();

describe('events from the wallet become chat messages (signed /internal/events)', () => {
  let m: MessagesHarness;
  beforeAll(async () => {
    m = await MessagesHarness.start();
    // Earlier test files leave undelivered events behind; this file counts its own.
    await m.wallet.db.query(
      'UPDATE outbox SET delivered_at = CURRENT_TIMESTAMP(3) WHERE delivered_at IS NULL',
    );
  });
  afterAll(() => m.stop());

  const post = (event: object) =>
    postSigned<{ applied: boolean }>(
      { baseUrl: m.url, caller: 'wallet', secret: WALLET_SECRET, timeoutMs: 5000 },
      '/internal/events',
      event,
    );
  const transferEvent = (from: string, to: string, id = ulid(), amount = 1200) => ({
    id: String(nextEventId++),
    topic: TRANSFER_CREATED,
    aggregateId: id,
    version: 1,
    payload: {
      id,
      fromUserId: from,
      toUserId: to,
      amount,
      memo: 'lunch',
      createdAt: new Date().toISOString(),
    },
  });
  const requestEvent = (requester: string, payer: string, id: string, version: number, status: string) => ({
    id: String(nextEventId++),
    topic: PAYMENT_REQUEST_CHANGED,
    aggregateId: id,
    version,
    payload: {
      id,
      requesterId: requester,
      payerId: payer,
      amount: 1500,
      memo: 'movie',
      status,
      transferId: null,
      expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      createdAt: new Date().toISOString(),
    },
  });
  const history = async (u: TestChatUser, conv: string) =>
    (await m.call('GET', `/v2/conversations/${conv}/messages?limit=100`, { token: u.token })).body.items;

  it('refuses unsigned calls and other callers’ forged signatures', async () => {
    const event = transferEvent(ulid(), ulid());
    const unsigned = await callJson(m.url, 'POST', '/internal/events', { body: event });
    expect([unsigned.status, unsigned.body.code]).toEqual([401, 'unauthorized']);
    const forged = postSigned(
      { baseUrl: m.url, caller: 'wallet', secret: 'not-the-wallet-secret-000', timeoutMs: 5000 },
      '/internal/events',
      event,
    );
    await expect(forged).rejects.toEqual(new UpstreamError('POST /internal/events answered 401', 401));
  });

  it('posts a transfer into the pair’s direct chat (created if absent) exactly once, whatever is redelivered', async () => {
    const [a, b] = await Promise.all([m.user(), m.user()]);
    const event = transferEvent(a.userId, b.userId);
    const results = await Promise.all([
      post(event),
      post(event),
      post({ ...event, id: String(nextEventId++) }),
    ]);
    expect(results.filter((r) => r.applied)).toHaveLength(1);
    const conv = directConversationId(a.userId, b.userId);
    const items = await history(b, conv);
    expect(items).toEqual([
      {
        id: `${conv}.1`,
        conversationId: conv,
        senderId: a.userId,
        kind: 'transfer',
        transfer: { transferId: event.aggregateId, amount: 1200, memo: 'lunch' },
        createdAt: expect.any(String),
      },
    ]);
    const [forA, forB] = await Promise.all(
      [a, b].map((u) => m.call('GET', `/v2/conversations/${conv}`, { token: u.token })),
    );
    expect([forA.body.unreadCount, forB.body.unreadCount]).toEqual([0, 1]);
    expect(forB.body.lastMessage.kind).toBe('transfer');
  });

  it('a payment request’s message follows its status forward only (by version)', async () => {
    const [a, b] = await Promise.all([m.user(), m.user()]);
    const id = ulid();
    expect(await post(requestEvent(a.userId, b.userId, id, 1, 'pending'))).toEqual({ applied: true });
    expect(await post(requestEvent(a.userId, b.userId, id, 3, 'paid'))).toEqual({ applied: true });
    expect(await post(requestEvent(a.userId, b.userId, id, 2, 'declined'))).toEqual({ applied: false }); // late
    expect(await post(requestEvent(a.userId, b.userId, id, 3, 'paid'))).toEqual({ applied: false }); // again
    const conv = directConversationId(a.userId, b.userId);
    const items = await history(a, conv);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      kind: 'payment_request',
      senderId: a.userId,
      paymentRequest: { requestId: id, amount: 1500, memo: 'movie', status: 'paid' },
    });
    expect(items[0]).not.toHaveProperty('version');
    const chat = await m.call('GET', `/v2/conversations/${conv}`, { token: b.token });
    expect(chat.body.lastMessage.paymentRequest.status).toBe('paid');
  });

  it('rejects malformed events with 400 and acknowledges unknown topics without posting', async () => {
    const [a, b] = await Promise.all([m.user(), m.user()]);
    const good = transferEvent(a.userId, b.userId);
    for (const bad of [
      { ...good, payload: { ...good.payload, amount: '1200' } },
      { ...good, payload: { ...good.payload, toUserId: a.userId } },
      { ...good, version: 0 },
      { ...good, extra: true },
    ]) {
      await expect(post(bad)).rejects.toEqual(new UpstreamError('POST /internal/events answered 400', 400));
    }
    expect(await post({ ...good, topic: 'something.new' })).toEqual({ applied: false });
    const chat = await m.call('GET', `/v2/conversations/${directConversationId(a.userId, b.userId)}`, {
      token: a.token,
    });
    expect(chat.status).toBe(404); // nothing half-written: not even the chat
  });

  it('end to end: a wallet transfer reaches the chat through the outbox relay, once', async () => {
    const [a, b] = await Promise.all([m.wallet.user(5_000), m.user()]);
    const sent = await m.wallet.call('POST', '/v2/wallet/transfers', {
      token: a.token,
      key: randomUUID(),
      body: { toUserId: b.userId, amount: 700, memo: 'tea' },
    });
    expect(sent.status).toBe(201);
    const relay = m.wallet.app.get(OutboxRelay);
    expect(await relay.runOnce()).toBe(1);
    // A redelivery (the relay crashed before marking it delivered) adds nothing.
    await m.wallet.db.query(
      'UPDATE outbox SET delivered_at = NULL, available_at = CURRENT_TIMESTAMP(3) WHERE aggregate_id = ?',
      [sent.body.id],
    );
    expect(await relay.runOnce()).toBe(1);
    const items = await history(b, directConversationId(a.userId, b.userId));
    expect(items).toEqual([
      expect.objectContaining({
        kind: 'transfer',
        senderId: a.userId,
        transfer: { transferId: sent.body.id, amount: 700, memo: 'tea' },
      }),
    ]);
  });
});
