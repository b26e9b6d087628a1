import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { checkLedger, HEALTHY } from '../testing/ledger-invariants';
import { TestWalletUser, WalletHarness } from '../testing/wallet-harness';
import { PaymentRequests } from './payment-requests';

describe('payment requests', () => {
  let w: WalletHarness;
  beforeAll(async () => (w = await WalletHarness.start()));
  afterAll(() => w.stop());

  const ask = (requester: TestWalletUser, payer: TestWalletUser, amount: number, memo = 'dinner') =>
    w.call('POST', '/v2/wallet/requests', {
      token: requester.token,
      body: { payerId: payer.userId, amount, memo },
    });
  const pay = (payer: TestWalletUser, id: unknown, key: string = randomUUID()) =>
    w.call('POST', `/v2/wallet/requests/${String(id)}/pay`, { token: payer.token, key });
  const outboxEvents = (id: unknown) =>
    w.db.query(
      `SELECT version, payload FROM outbox WHERE topic = 'payment_request.changed' AND aggregate_id = ? ORDER BY version`,
      [id],
    ) as unknown as Promise<[{ version: number; payload: string }[]]>;

  it('asks, lists incoming and outgoing, and pays once; the request records the transfer', async () => {
    const requester = await w.user();
    const payer = await w.user(5_000);
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
  });

  it('is paid at most once when two devices pay at the same moment with two keys', async () => {
    const requester = await w.user();
    const payer = await w.user(10_000);
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
    const requester = await w.user();
    const payer = await w.user(10_000);
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
    const requester = await w.user();
    const payer = await w.user(1_000);
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
    const requester = await w.user();
    const payer = await w.user(1_000);
    const { body } = await ask(requester, payer, 100);
    await w.db.query(
      'UPDATE payment_requests SET expires_at = CURRENT_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = ?',
      [body.id],
    );
    expect((await pay(payer, body.id)).body.code).toBe('request_not_pending');
    expect(await w.app.get(PaymentRequests).expireDue()).toBeGreaterThanOrEqual(1);
    const list = await w.call('GET', '/v2/wallet/requests?role=outgoing', { token: requester.token });
    expect((list.body.items as { status: string }[])[0].status).toBe('expired');
  });

  it('refuses asking yourself, unknown payers and bad amounts', async () => {
    const u = await w.user();
    expect((await ask(u, u, 100)).body.code).toBe('self_transfer');
    expect(
      (
        await w.call('POST', '/v2/wallet/requests', {
          token: u.token,
          body: { payerId: ulid(), amount: 100 },
        })
      ).status,
    ).toBe(404);
    expect(
      (await w.call('POST', '/v2/wallet/requests', { token: u.token, body: { payerId: ulid(), amount: 0 } }))
        .status,
    ).toBe(400);
    expect((await w.call('GET', '/v2/wallet/requests?role=sideways', { token: u.token })).status).toBe(400);
  });
});
