import { randomUUID } from 'node:crypto';
import { directConversationId, MAX_EVENT_BATCH } from '@paychat/contracts';
import { ulid } from 'ulid';
import { MessagesHarness, TestChatUser } from '../../../../test/harness/messages-harness';
import {
  history,
  localKey,
  outcomes,
  postBatch,
  requestEvent,
  transferEvent,
} from '../testing/relayed-events';

describe('events from the wallet become chat messages (signed POST /internal/events/batch)', () => {
  let m: MessagesHarness;
  let a: TestChatUser, b: TestChatUser, c: TestChatUser;
  beforeAll(async () => {
    m = await MessagesHarness.start();
    [a, b, c] = await Promise.all([m.user(), m.user(), m.user()]);
    // Earlier test files leave undelivered events behind; this file counts its own.
    await m.wallet.db.query(
      'UPDATE outbox SET delivered_at = CURRENT_TIMESTAMP(3) WHERE delivered_at IS NULL',
    );
  });
  afterAll(() => m.stop());

  const amounts = async (u: TestChatUser, x: TestChatUser) =>
    (await history(m, u, directConversationId(u.userId, x.userId))).map((i) => i.transfer?.amount);

  it('refuses unsigned calls (401), forged signatures (401) and callers other than the wallet (403)', async () => {
    const events = [transferEvent(ulid(), ulid())];
    const unsigned = await postBatch(m, events, null);
    expect([unsigned.status, unsigned.body.code]).toEqual([401, 'unauthorized']);
    const forged = await postBatch(m, events, { ...localKey('wallet'), secret: 'not-the-wallet-secret-000' });
    expect([forged.status, forged.body.code]).toEqual([401, 'unauthorized']);
    const other = await postBatch(m, events, localKey('gateway'));
    expect([other.status, other.body.code]).toEqual([403, 'forbidden']);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses a malformed batch as a whole (400 problem+json), writing nothing', async () => {
    const [x, y] = [ulid(), ulid()];
    const good = transferEvent(x, y);
    const tooMany = Array.from({ length: MAX_EVENT_BATCH + 1 }, () => transferEvent(x, y));
    for (const events of [
      [],
      tooMany,
      [good, { ...good, id: '12345' }], // ids are ULIDs now
      [good, { ...good, version: 0 }],
      [good, { ...good, extra: true }],
      [good, { ...good, payload: 'not an object' }],
      [good, { ...good, occurredAt: 'yesterday' }],
    ]) {
      const res = await postBatch(m, events);
      expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const raw = await postBatch(m, { events: [good] } as unknown as object[]);
    expect(raw.status).toBe(400);
    expect((await outcomes(m, [good]))[0]).toBe('applied'); // only now: nothing was half-written
  });

  it('posts transfers across chats exactly once, each chat in request order; a replay adds nothing', async () => {
    const events = [
      transferEvent(a.userId, b.userId, 1),
      transferEvent(a.userId, c.userId, 1),
      transferEvent(b.userId, a.userId, 2),
      transferEvent(b.userId, c.userId, 1),
      transferEvent(a.userId, b.userId, 3),
      transferEvent(c.userId, a.userId, 2),
      transferEvent(a.userId, b.userId, 4),
    ];
    expect(await outcomes(m, events)).toEqual(Array(7).fill('applied'));
    expect(await amounts(a, b)).toEqual([1, 2, 3, 4]);
    expect(await amounts(a, c)).toEqual([1, 2]);
    expect(await amounts(b, c)).toEqual([1]);
    const ab = directConversationId(a.userId, b.userId);
    const [forA, forB] = await Promise.all(
      [a, b].map((u) => m.call('GET', `/v2/conversations/${ab}`, { token: u.token })),
    );
    // Sending reads everything up to one's own last message.
    expect([forA.body.unreadCount, forB.body.unreadCount]).toEqual([0, 2]);
    expect(forB.body.lastMessage).toMatchObject({ id: `${ab}.4`, kind: 'transfer', senderId: a.userId });

    expect(await outcomes(m, events)).toEqual(Array(7).fill('duplicate'));
    expect(await outcomes(m, [events[2], events[2], transferEvent(b.userId, c.userId, 2)])).toEqual([
      'duplicate',
      'duplicate',
      'applied',
    ]);
    expect(await amounts(a, b)).toEqual([1, 2, 3, 4]);
    expect(await amounts(b, c)).toEqual([1, 2]);
  });

  it('applies each event once when relays deliver the same batch concurrently', async () => {
    const [x, y] = await Promise.all([m.user(), m.user()]);
    const r = ulid();
    const events = [
      transferEvent(x.userId, y.userId, 1),
      requestEvent(y.userId, x.userId, r, 1, 'pending'),
      transferEvent(y.userId, x.userId, 2),
      requestEvent(y.userId, x.userId, r, 2, 'paid'),
      transferEvent(x.userId, y.userId, 3),
    ];
    const copies = await Promise.all([1, 2, 3].map(() => outcomes(m, events)));
    for (let i = 0; i < events.length; i++)
      expect(copies.map((c) => c[i]).sort()).toEqual(['applied', 'duplicate', 'duplicate']);
    const items = await history(m, x, directConversationId(x.userId, y.userId));
    expect(items.map((i) => i.paymentRequest?.status ?? i.transfer?.amount)).toEqual([1, 'paid', 2, 3]);
  });

  it('stamps each message with when its event occurred (now for an event without), however it is written', async () => {
    const [x, y] = await Promise.all([m.user(), m.user()]);
    const at = (ms: number) => new Date(Date.parse('2026-01-02T03:04:05.000Z') + ms).toISOString();
    const events = [1, 2, 3].map((n) => ({ ...transferEvent(x.userId, y.userId, n), occurredAt: at(n) }));
    // Concurrent copies overlap: some messages are written together, some one at a time.
    await Promise.all([1, 2].map(() => outcomes(m, events)));
    const before = Date.now();
    expect(await outcomes(m, [transferEvent(x.userId, y.userId, 4)])).toEqual(['applied']);
    const items = (await history(m, x, directConversationId(x.userId, y.userId))) as unknown as {
      createdAt: string;
    }[];
    expect(items.slice(0, 3).map((i) => i.createdAt)).toEqual([at(1), at(2), at(3)]);
    expect(Date.parse(items[3].createdAt)).toBeGreaterThanOrEqual(before - 1_000);
  });

  it('rejects an event with a bad payload alone, with its code; acknowledges unknown topics', async () => {
    const [x, y] = await Promise.all([m.user(), m.user()]);
    const good = transferEvent(x.userId, y.userId, 10);
    const results = await postBatch(m, [
      transferEvent(x.userId, y.userId, 5),
      { ...good, payload: { ...good.payload, amount: '1200' } },
      transferEvent(x.userId, x.userId, 7),
      { ...good, topic: 'something.new' },
      good,
    ]);
    expect(results.status).toBe(200);
    expect(results.body.results).toEqual([
      { id: expect.any(String), outcome: 'applied' },
      {
        id: expect.any(String),
        outcome: 'rejected',
        code: 'validation_failed',
        detail: 'Invalid transfer.created payload: payload.amount',
      },
      {
        id: expect.any(String),
        outcome: 'rejected',
        code: 'validation_failed',
        detail: 'An event needs two different users',
      },
      { id: expect.any(String), outcome: 'duplicate' },
      { id: good.id, outcome: 'applied' },
    ]);
    expect(await amounts(x, y)).toEqual([5, 10]);
  });

  it('a payment request’s message follows its status forward only (by version), within a batch too', async () => {
    const [x, y] = await Promise.all([m.user(), m.user()]);
    const [r, q] = [ulid(), ulid()];
    const conv = directConversationId(x.userId, y.userId);
    expect(
      await outcomes(m, [
        requestEvent(x.userId, y.userId, r, 1, 'pending'),
        transferEvent(y.userId, x.userId, 1500),
        requestEvent(x.userId, y.userId, r, 2, 'paid'),
      ]),
    ).toEqual(['applied', 'applied', 'applied']);
    expect(
      await outcomes(m, [
        requestEvent(y.userId, x.userId, q, 3, 'declined'),
        requestEvent(y.userId, x.userId, q, 1, 'pending'), // older: ignored
        requestEvent(x.userId, y.userId, r, 1, 'pending'), // a redelivery
      ]),
    ).toEqual(['applied', 'duplicate', 'duplicate']);
    const items = await history(m, x, conv);
    expect(items.map((i) => [i.kind, i.paymentRequest?.status])).toEqual([
      ['payment_request', 'paid'],
      ['transfer', undefined],
      ['payment_request', 'declined'],
    ]);
    expect(items[0]).not.toHaveProperty('version');
    expect(await outcomes(m, [requestEvent(y.userId, x.userId, q, 4, 'paid')])).toEqual(['applied']);
    const chat = await m.call('GET', `/v2/conversations/${conv}`, { token: y.token });
    expect(chat.body.lastMessage.paymentRequest.status).toBe('paid'); // the preview follows too
  });

  it('end to end: a wallet transfer reaches the chat through the outbox relay, once', async () => {
    const [x, y] = await Promise.all([m.wallet.user(5_000), m.user()]);
    const sent = await m.wallet.call('POST', '/v2/wallet/transfers', {
      token: x.token,
      key: randomUUID(),
      body: { toUserId: y.userId, amount: 700, memo: 'tea' },
    });
    expect(sent.status).toBe(201);
    const relay = m.wallet.outboxRelay;
    expect(await relay.runOnce()).toBeGreaterThanOrEqual(1);
    // A redelivery (the relay crashed before marking it delivered) adds nothing.
    await m.wallet.db.query(
      'UPDATE outbox SET delivered_at = NULL, available_at = CURRENT_TIMESTAMP(3) WHERE aggregate_id = ?',
      [sent.body.id],
    );
    expect(await relay.runOnce()).toBeGreaterThanOrEqual(1);
    const items = await history(m, y, directConversationId(x.userId, y.userId));
    expect(items).toEqual([
      expect.objectContaining({
        kind: 'transfer',
        senderId: x.userId,
        transfer: { transferId: sent.body.id, amount: 700, memo: 'tea' },
      }),
    ]);
  });
});
