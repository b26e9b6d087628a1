import { randomUUID } from 'node:crypto';
import { stubServer } from '@paychat/testing';
import { ulid } from 'ulid';
import { MessagesHarness } from '../../../../test/harness/messages-harness';
import { checkLedger, HEALTHY } from '../testing/ledger-invariants';
import { TestWalletUser, WalletHarness } from '../../../../test/harness/wallet-harness';
import { PaymentRequests } from './payment-requests';

describe('payment requests', () => {
  // The wallet with the messages service it asks whether a pair shares a chat.
  let m: MessagesHarness;
  let w: WalletHarness;
  beforeAll(async () => {
    m = await MessagesHarness.start();
    w = m.wallet;
  });
  afterAll(() => m.stop());

  /** Two users with a direct chat, as most requests are made. */
  const pair = async (payerFunds = 0) => {
    const [requester, payer] = await Promise.all([w.user(), w.user(payerFunds)]);
    await m.conversation(requester, [payer]);
    return { requester, payer };
  };
  const ask = (requester: TestWalletUser, payer: TestWalletUser, amount: number, memo = 'dinner') =>
    w.call('POST', '/v2/wallet/requests', {
      token: requester.token,
      body: { payerId: payer.userId, amount, memo },
    });
  const pay = (payer: TestWalletUser, id: unknown, key: string = randomUUID()) =>
    w.call('POST', `/v2/wallet/requests/${String(id)}/pay`, { token: payer.token, key });
  const outboxEvents = (id: unknown) =>
    w.db.query(
      `SELECT version, payload, request_id FROM outbox WHERE topic = 'payment_request.changed' AND aggregate_id = ? ORDER BY version`,
      [id],
    ) as unknown as Promise<[{ version: number; payload: string; request_id: string | null }[]]>;

  it('asks, lists incoming and outgoing, and pays once; the request records the transfer', async () => {
    const { requester, payer } = await pair(5_000);
    const created = await ask(requester, payer, 1_200);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'pending',
      amount: 1_200,
      payerId: payer.userId,
      requesterId: requester.userId,
    });
    expect(Date.parse(String(created.body.expiresAt)) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const incoming = await w.call('GET', '/v2/wallet/requests?role=incoming&status=pending', {
      token: payer.token,
    });
    expect(incoming.body.items).toEqual([expect.objectContaining({ id: created.body.id })]);
    expect(
      (await w.call('GET', '/v2/wallet/requests?role=outgoing', { token: requester.token })).body.items,
    ).toHaveLength(1);

    const key = randomUUID();
    const paid = await pay(payer, created.body.id, key);
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({
      request: { status: 'paid' },
      transfer: { amount: 1_200, toUserId: requester.userId, balance: 3_800 },
    });
    const again = await pay(payer, created.body.id, key);
    expect(again.body).toEqual(paid.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await w.balance(requester)).toBe(1_200);
    const [events] = await outboxEvents(created.body.id);
    expect(events.map((e) => [e.version, JSON.parse(e.payload).status])).toEqual([
      [1, 'pending'],
      [2, 'paid'],
    ]);
    // Each event names the request that wrote it.
    expect(events.map((e) => e.request_id)).toEqual([
      created.headers.get('x-request-id'),
      paid.headers.get('x-request-id'),
    ]);
  });

  it('asks messages under the request’s own id, so both services log the one id', async () => {
    const { requester, payer } = await pair();
    const calls = jest.spyOn(global, 'fetch');
    try {
      const created = await ask(requester, payer, 100);
      expect(created.status).toBe(201);
      const lookup = calls.mock.calls.find(([url]) => String(url).endsWith('/internal/relations/lookup'));
      expect(lookup?.[1]?.headers).toMatchObject({ 'x-request-id': created.headers.get('x-request-id') });
    } finally {
      calls.mockRestore();
    }
  });

  it('is paid at most once when two devices pay at the same moment with two keys', async () => {
    const { requester, payer } = await pair(10_000);
    const { body } = await ask(requester, payer, 3_000);
    const answers = await Promise.all(Array.from({ length: 6 }, () => pay(payer, body.id)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'request_not_pending')).toBe(
      true,
    );
    expect(await w.balance(payer)).toBe(7_000);
    expect(await w.balance(requester)).toBe(3_000);
    expect(await checkLedger(w.db)).toEqual(HEALTHY);
  });

  it('races decline, cancel and pay to exactly one outcome', async () => {
    const { requester, payer } = await pair(10_000);
    const { body } = await ask(requester, payer, 1_000);
    const [paid, declined, cancelled] = await Promise.all([
      pay(payer, body.id),
      w.call('POST', `/v2/wallet/requests/${String(body.id)}/decline`, { token: payer.token }),
      w.call('POST', `/v2/wallet/requests/${String(body.id)}/cancel`, { token: requester.token }),
    ]);
    const winners = [paid, declined, cancelled].filter((a) => a.status === 200 || a.status === 201);
    expect(winners).toHaveLength(1);
    expect(await w.balance(requester)).toBe(paid.status === 201 ? 1_000 : 0);
  });

  it('lets only the payer decline and only the requester cancel; strangers see 404', async () => {
    const { requester, payer } = await pair(1_000);
    const stranger = await w.user(1_000);
    const { body } = await ask(requester, payer, 100);
    expect(
      (await w.call('POST', `/v2/wallet/requests/${String(body.id)}/decline`, { token: requester.token }))
        .status,
    ).toBe(403);
    expect(
      (await w.call('POST', `/v2/wallet/requests/${String(body.id)}/cancel`, { token: payer.token })).status,
    ).toBe(403);
    expect((await pay(stranger, body.id)).status).toBe(404);
    expect((await pay(requester, body.id)).status).toBe(404);
    expect((await pay(payer, ulid())).status).toBe(404);
  });

  it('expires after its lifetime: the job marks it, and paying it is 409', async () => {
    const { requester, payer } = await pair(1_000);
    const { body } = await ask(requester, payer, 100);
    await w.db.query(
      'UPDATE payment_requests SET expires_at = CURRENT_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = ?',
      [body.id],
    );
    expect((await pay(payer, body.id)).body.code).toBe('request_not_pending');
    expect(await w.app.get(PaymentRequests).expireDue()).toBeGreaterThanOrEqual(1);
    const list = await w.call('GET', '/v2/wallet/requests?role=outgoing', { token: requester.token });
    expect((list.body.items as { status: string }[])[0].status).toBe('expired');
    const [events] = await outboxEvents(body.id);
    expect(events.at(-1)).toMatchObject({ version: 2, request_id: null }); // the job's: no request
  });

  it('refuses asking yourself, unknown or disabled payers and bad amounts', async () => {
    const { requester: u, payer: disabled } = await pair();
    expect((await ask(u, u, 100)).body.code).toBe('self_transfer');
    // Nobody shares a chat with an unknown id.
    const unknown = await w.call('POST', '/v2/wallet/requests', {
      token: u.token,
      body: { payerId: ulid(), amount: 100 },
    });
    expect([unknown.status, unknown.body.code]).toEqual([403, 'no_shared_chat']);
    await w.db.query(`UPDATE users SET status = 'disabled' WHERE id = ?`, [disabled.userId]);
    expect((await ask(u, disabled, 100)).body.code).toBe('recipient_unavailable');
    expect(
      (await w.call('POST', '/v2/wallet/requests', { token: u.token, body: { payerId: ulid(), amount: 0 } }))
        .status,
    ).toBe(400);
    expect((await w.call('GET', '/v2/wallet/requests?role=sideways', { token: u.token })).status).toBe(400);
  });

  const written = (requester: TestWalletUser) =>
    w.count('SELECT COUNT(*) AS n FROM payment_requests WHERE requester_id = ?', [requester.userId]);
  const block = (u: TestWalletUser, other: TestWalletUser, method: 'PUT' | 'DELETE' = 'PUT') =>
    m.call(method, `/v2/blocks/${other.userId}`, { token: u.token });

  it('is only between people who share a chat: a direct chat or a group both are in', async () => {
    const [requester, payer, friend] = await Promise.all([w.user(), w.user(), w.user()]);
    const stranger = await ask(requester, payer, 500);
    expect([stranger.status, stranger.body.code]).toEqual([403, 'no_shared_chat']);
    expect(await written(requester)).toBe(0);

    const group = await m.conversation(friend, [requester, payer], 'Flat');
    expect((await ask(requester, payer, 500)).status).toBe(201);
    // A group someone has left is no longer shared with them.
    await m.call('POST', `/v2/conversations/${group}/leave`, { token: payer.token });
    expect((await ask(friend, payer, 500)).body.code).toBe('no_shared_chat');
    expect((await ask(friend, requester, 500)).status).toBe(201);
  });

  it('is refused across a block, either way, writing nothing; unblocking restores it', async () => {
    const { requester, payer } = await pair();
    expect((await block(payer, requester)).status).toBe(204);
    const refused = await ask(requester, payer, 700);
    expect([refused.status, refused.body.code]).toEqual([403, 'blocked']);
    expect((await ask(payer, requester, 700)).body.code).toBe('blocked');
    expect(await written(requester)).toBe(0);
    expect((await block(payer, requester, 'DELETE')).status).toBe(204);
    expect((await ask(requester, payer, 700)).status).toBe(201);
  });

  it('answers a fast 503 and writes nothing when the messages service is down or hangs', async () => {
    const { requester, payer } = await pair();
    const hanging = stubServer(() => undefined); // accepts, never answers
    const down = await WalletHarness.start({ MESSAGES_URL: 'http://127.0.0.1:9' });
    const slow = await WalletHarness.start({ MESSAGES_URL: await hanging.start() });
    try {
      for (const wallet of [down, slow]) {
        const started = Date.now();
        const res = await wallet.call('POST', '/v2/wallet/requests', {
          token: requester.token,
          body: { payerId: payer.userId, amount: 300 },
        });
        expect([res.status, res.body.code, res.headers.get('retry-after')]).toEqual([
          503,
          'service_unavailable',
          '2',
        ]);
        expect(Date.now() - started).toBeLessThan(3_000);
      }
      expect(await written(requester)).toBe(0);
    } finally {
      await Promise.all([down.stop(), slow.stop()]);
      await hanging.stop();
    }
  });
});
