import { randomUUID } from 'node:crypto';
import { TestWalletUser, WalletHarness } from '../../../../test/harness/wallet-harness';
import { travelBack } from './time-travel.testing';

const LIMITS = {
  none: { perOperation: 50_000, daily: 100_000, monthly: 150_000, maxBalance: 300_000 },
  verified: { perOperation: 500_000, daily: 1_000_000, monthly: 2_000_000, maxBalance: 3_000_000 },
};

describe('KYC levels and limits (KYC_LIMITS from config)', () => {
  let w: WalletHarness;
  beforeAll(async () => (w = await WalletHarness.start({ KYC_LIMITS: JSON.stringify(LIMITS) })));
  afterAll(() => w.stop());

  /** Charges in steps of at most the unverified per-operation limit. */
  const fund = async (u: TestWalletUser, total: number) => {
    for (let left = total; left > 0; left -= 50_000)
      expect((await w.charge(u, Math.min(50_000, left))).status).toBe(201);
    return u;
  };
  const send = (from: TestWalletUser, to: TestWalletUser, amount: number) =>
    w.call('POST', '/v2/wallet/transfers', {
      token: from.token,
      key: randomUUID(),
      body: { toUserId: to.userId, amount },
    });

  it('requires a verified identity to withdraw (403 kyc_required, nothing moved)', async () => {
    const u = await w.user(10_000);
    const res = await w.call('POST', '/v2/wallet/withdrawals', {
      token: u.token,
      key: randomUUID(),
      body: { amount: 1_000, bankAccountId: u.bankAccountId },
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('kyc_required');
    expect(await w.balance(u)).toBe(10_000);
    expect(await w.count('SELECT COUNT(*) n FROM withdrawals WHERE initiator_id = ?', [u.userId])).toBe(0);
  });

  it('enforces the per-operation, daily and monthly outflow limits; the day resets at midnight JST', async () => {
    const a = await fund(await w.user(), 250_000);
    const b = await w.user();
    expect((await send(a, b, 50_001)).body.code).toBe('limit_exceeded');
    expect((await send(a, b, 40_000)).status).toBe(201);
    expect((await send(a, b, 40_000)).status).toBe(201);
    const third = await send(a, b, 40_000);
    expect(third.status).toBe(422);
    expect(third.body.code).toBe('limit_exceeded');
    expect(third.body.detail).toContain('daily');

    const wallet = await w.call('GET', '/v2/wallet', { token: a.token });
    expect(wallet.body.limits).toMatchObject({
      perOperation: 50_000,
      daily: { limit: 100_000, remaining: 20_000 },
      maxBalance: 300_000,
    });

    await travelBack(w.db, a.accountId, '1 DAY');
    expect((await send(a, b, 40_000)).status).toBe(201);
    const monthly = await send(a, b, 40_000);
    const firstOfMonthJst = new Date(Date.now() + 9 * 3_600_000).getUTCDate() === 1;
    if (!firstOfMonthJst) expect(monthly.body.detail).toContain('monthly');
  });

  it('caps the balance: transfers and charges that would exceed maxBalance are refused', async () => {
    const rich = await w.user(290_000, { verified: true });
    const poor = await fund(await w.user(), 290_000);
    expect((await send(rich, poor, 20_000)).body.code).toBe('limit_exceeded');
    const charge = await w.charge(poor, 20_000);
    expect(charge.status).toBe(422);
    expect(charge.body.code).toBe('limit_exceeded');
    expect(await w.balance(poor)).toBe(290_000);
  });

  it('gives verified users the higher limits', async () => {
    const v = await w.user(400_000, { verified: true });
    const other = await w.user(0, { verified: true });
    expect((await send(v, other, 300_000)).status).toBe(201);
    expect((await w.call('GET', '/v2/wallet', { token: v.token })).body).toMatchObject({
      kycLevel: 'verified',
      limits: { perOperation: 500_000, daily: { remaining: 700_000 } },
    });
  });
});
