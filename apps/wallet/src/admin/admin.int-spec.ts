import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { createTestUser, loginTestUser } from '@paychat/testing';
import { checkLedger, HEALTHY } from '../testing/ledger-invariants';
import { TestWalletUser, WalletHarness } from '../../../../test/harness/wallet-harness';

describe('admin API (admin group only, audited)', () => {
  let w: WalletHarness;
  let admin: string;
  beforeAll(async () => {
    w = await WalletHarness.start();
    admin = (await loginTestUser(await createTestUser({ groups: ['admin'] }))).accessToken;
  });
  afterAll(() => w.stop());

  const asAdmin = (method: string, path: string, body?: unknown, requestId?: string) =>
    fetch(`${w.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${admin}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
        ...(requestId ? { 'x-request-id': requestId } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as Record<string, unknown> & { code?: string },
    }));
  const send = (from: TestWalletUser, to: TestWalletUser, amount: number) =>
    w.call('POST', '/v2/wallet/transfers', {
      token: from.token,
      key: randomUUID(),
      body: { toUserId: to.userId, amount },
    });

  it('answers 403 forbidden to a non-admin on every admin route', async () => {
    const user = await w.user();
    const id = ulid();
    const routes: [string, string, unknown?][] = [
      ['GET', '/admin/v2/users?query=x'],
      ['GET', `/admin/v2/users/${id}`],
      ['GET', `/admin/v2/users/${id}/transactions`],
      ['POST', `/admin/v2/users/${id}/kyc`, { level: 'verified' }],
      ['POST', `/admin/v2/users/${id}/disable`, {}],
      ['POST', `/admin/v2/wallets/${id}/freeze`, { reason: 'x' }],
      ['POST', `/admin/v2/wallets/${id}/unfreeze`, { reason: 'x' }],
      ['POST', `/admin/v2/transfers/${id}/reversals`, { reason: 'x' }],
      ['POST', '/admin/v2/merchants', { name: 'x' }],
      ['GET', '/admin/v2/ledger/health'],
      ['GET', '/admin/v2/audit-log'],
    ];
    for (const [method, path, body] of routes) {
      const res = await w.call(method, path, { token: user.token, body, key: randomUUID() });
      expect([path, res.status, res.body.code]).toEqual([path, 403, 'forbidden']);
    }
  });

  it('looks users up by email, handle or id, and audits the read with its request id', async () => {
    const u = await w.user(300);
    const me = await w.call('GET', '/v2/me', { token: u.token });
    const found = await asAdmin(
      'GET',
      `/admin/v2/users?query=${encodeURIComponent(String(me.body.email))}`,
      undefined,
      'audit-read-1',
    );
    expect(found.body.items).toEqual([
      expect.objectContaining({
        userId: u.userId,
        wallet: expect.objectContaining({ balance: 300, status: 'active' }),
      }),
    ]);
    const history = await asAdmin('GET', `/admin/v2/users/${u.userId}/transactions`);
    expect((history.body.items as object[]).length).toBe(1);
    const log = await asAdmin('GET', '/admin/v2/audit-log?limit=5');
    expect(log.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'user.search', requestId: 'audit-read-1' })]),
    );
  });

  it('freezes a wallet: it can neither pay nor be paid, until unfrozen', async () => {
    const a = await w.user(1_000);
    const b = await w.user(1_000);
    expect(
      (await asAdmin('POST', `/admin/v2/wallets/${a.userId}/freeze`, { reason: 'fraud check' }, 'freeze-1'))
        .body,
    ).toMatchObject({
      wallet: expect.objectContaining({ status: 'frozen' }),
    });
    expect((await send(a, b, 10)).status).toBe(423);
    const toFrozen = await send(b, a, 10);
    expect(toFrozen.status).toBe(422);
    expect(toFrozen.body.code).toBe('recipient_unavailable');
    await asAdmin('POST', `/admin/v2/wallets/${a.userId}/unfreeze`, { reason: 'cleared' });
    expect((await send(a, b, 10)).status).toBe(201);
    const log = await asAdmin('GET', '/admin/v2/audit-log?limit=10');
    expect(log.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'wallet.freeze', targetId: a.userId, requestId: 'freeze-1' }),
      ]),
    );
  });

  it('reverses a transfer once, even after the money was spent; the negative account is debit-blocked', async () => {
    const a = await w.user(1_000);
    const b = await w.user();
    const c = await w.user();
    const t = await send(a, b, 800);
    expect((await send(b, c, 500)).status).toBe(201); // b spends most of it
    const rev = await asAdmin('POST', `/admin/v2/transfers/${t.body.id}/reversals`, { reason: 'disputed' });
    expect(rev.status).toBe(201);
    expect(await w.balance(a)).toBe(1_000);
    expect(await w.balance(b)).toBe(-500);
    const again = await asAdmin('POST', `/admin/v2/transfers/${t.body.id}/reversals`, { reason: 'disputed' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_reversed');
    expect((await send(b, c, 1)).body.code).toBe('insufficient_funds');
    expect((await asAdmin('GET', `/admin/v2/users/${b.userId}`)).body).toMatchObject({
      wallet: { balance: -500, debitBlocked: true },
    });
    expect(await checkLedger(w.db)).toEqual(HEALTHY);
    expect((await asAdmin('POST', `/admin/v2/transfers/${ulid()}/reversals`, { reason: 'x' })).status).toBe(
      404,
    );
  });

  it('records KYC: a verified user may withdraw', async () => {
    const u = await w.user(2_000);
    const withdraw = () =>
      w.call('POST', '/v2/wallet/withdrawals', {
        token: u.token,
        key: randomUUID(),
        body: { amount: 500, bankAccountId: u.bankAccountId },
      });
    expect((await withdraw()).body.code).toBe('kyc_required');
    expect(
      (await asAdmin('POST', `/admin/v2/users/${u.userId}/kyc`, { level: 'verified' })).body,
    ).toMatchObject({ kycLevel: 'verified' });
    expect((await withdraw()).status).toBe(201);
    expect((await asAdmin('POST', `/admin/v2/users/${u.userId}/kyc`, { level: 'gold' })).status).toBe(400);
  });

  it('creates a merchant that can be paid', async () => {
    const shop = await asAdmin('POST', '/admin/v2/merchants', { name: 'Ramen Taro' });
    expect(shop.status).toBe(201);
    const u = await w.user(1_000);
    const paid = await w.call('POST', '/v2/wallet/payments', {
      token: u.token,
      key: randomUUID(),
      body: { merchantId: shop.body.id, amount: 900 },
    });
    expect(paid.status).toBe(201);
  });

  it('disables a user in Cognito and here: their next request is refused', async () => {
    const u = await w.user();
    expect((await w.call('GET', '/v2/me', { token: u.token })).status).toBe(200);
    expect(
      (await asAdmin('POST', `/admin/v2/users/${u.userId}/disable`, { reason: 'closed' })).body,
    ).toMatchObject({ status: 'disabled' });
    const refused = await w.call('GET', '/v2/wallet', { token: u.token });
    expect(refused.status).toBe(401);
  });
});
