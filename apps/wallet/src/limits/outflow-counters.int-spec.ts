import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DEMO_MERCHANT_ID } from '@paychat/testing';
import { newId } from '../db/new-id';
import { inTransaction } from '../db/transaction';
import { fillOutflowCounters } from '../ledger/accounts.repository';
import { Ledger } from '../ledger/ledger';
import { checkLedger, HEALTHY } from '../testing/ledger-invariants';
import { TestWalletUser, WalletHarness } from '../../../../test/harness/wallet-harness';
import { jstPeriods } from './kyc-limits';
import { travelBack } from './time-travel.testing';

/** UTC DATETIME literal, whatever the test connection's time zone. */
const utc = (d: Date) => d.toISOString().slice(0, 23).replace('T', ' ');

describe('outflow counters on the account row (KYC daily and monthly limits)', () => {
  let w: WalletHarness;
  beforeAll(async () => (w = await WalletHarness.start()));
  afterAll(() => w.stop());

  const send = (from: TestWalletUser, to: TestWalletUser, amount: number) =>
    w.call('POST', '/v2/wallet/transfers', {
      token: from.token,
      key: randomUUID(),
      body: { toUserId: to.userId, amount },
    });
  const counters = async (u: TestWalletUser) => {
    const [[row]] = (await w.db.query('SELECT outflow_day, outflow_month FROM accounts WHERE id = ?', [
      u.accountId,
    ])) as unknown as [[{ outflow_day: string; outflow_month: string }]];
    return { day: Number(row.outflow_day), month: Number(row.outflow_month) };
  };
  /** What Limits summed over the postings before the counters existed. */
  const summed = async (u: TestWalletUser) => {
    const { dayStart, monthStart } = jstPeriods(new Date());
    const [[row]] = (await w.db.query(
      `SELECT COALESCE(SUM(CASE WHEN created_at >= ? THEN -amount END), 0) AS day, COALESCE(SUM(-amount), 0) AS month
       FROM postings WHERE account_id = ? AND created_at >= ? AND amount < 0 AND op_type IN ('transfer_out', 'payment', 'withdrawal')`,
      [utc(dayStart), u.accountId, utc(monthStart)],
    )) as unknown as [[{ day: string; month: string }]];
    return { day: Number(row.day), month: Number(row.month) };
  };
  const limitsOf = async (u: TestWalletUser) =>
    (await w.call('GET', '/v2/wallet', { token: u.token })).body.limits as {
      daily: { limit: number; remaining: number };
      monthly: { limit: number; remaining: number };
    };

  it('counts transfers, payments and withdrawals as they post; GET /v2/wallet shows what is left', async () => {
    const a = await w.user(100_000, { verified: true });
    const b = await w.user();
    expect((await send(a, b, 1_000)).status).toBe(201);
    const payment = await w.call('POST', '/v2/wallet/payments', {
      token: a.token,
      key: randomUUID(),
      body: { merchantId: DEMO_MERCHANT_ID, amount: 2_000 },
    });
    expect(payment.status).toBe(201);
    const withdrawal = await w.call('POST', '/v2/wallet/withdrawals', {
      token: a.token,
      key: randomUUID(),
      body: { amount: 3_000, bankAccountId: a.bankAccountId },
    });
    expect(withdrawal.status).toBe(201);

    expect(await counters(a)).toEqual({ day: 6_000, month: 6_000 });
    expect(await counters(a)).toEqual(await summed(a));
    expect(await counters(b)).toEqual({ day: 0, month: 0 }); // money in is not an outflow
    expect(await limitsOf(a)).toMatchObject({
      daily: { limit: 2_000_000, remaining: 1_994_000 },
      monthly: { limit: 10_000_000, remaining: 9_994_000 },
    });
    expect(await checkLedger(w.db)).toEqual(HEALTHY);
  });

  it('counts an outflow leg even when it does not ask for the limit check', async () => {
    const a = await w.user(5_000);
    await inTransaction(w.app.get(DataSource), (m) =>
      w.app.get(Ledger).post(m, {
        kind: 'test_outflow',
        opId: newId(),
        legs: [
          { accountId: a.accountId, amount: -1_500, type: 'payment', ifInactive: 'account_frozen' },
          { system: 'bank_clearing', amount: 1_500, type: 'payment' },
        ],
      }),
    );
    expect(await counters(a)).toEqual({ day: 1_500, month: 1_500 });
    expect((await limitsOf(a)).daily.remaining).toBe(200_000 - 1_500);
  });

  it('starts a new JST day at 0 (same month: the month counter goes on)', async () => {
    const a = await w.user(100_000);
    const b = await w.user();
    expect((await send(a, b, 30_000)).status).toBe(201);
    await travelBack(w.db, a.accountId, '1 DAY');
    const firstOfMonth = new Date(Date.now() + 9 * 3_600_000).getUTCDate() === 1;
    expect(await limitsOf(a)).toMatchObject({
      daily: { remaining: 200_000 },
      monthly: { remaining: firstOfMonth ? 500_000 : 470_000 },
    });
    expect((await send(a, b, 5_000)).status).toBe(201);
    expect(await counters(a)).toEqual({ day: 5_000, month: firstOfMonth ? 5_000 : 35_000 });
    expect(await counters(a)).toEqual(await summed(a));
    expect(await checkLedger(w.db)).toEqual(HEALTHY);
  });

  it('starts a new JST month at 0', async () => {
    const a = await w.user(100_000);
    const b = await w.user();
    expect((await send(a, b, 60_000)).status).toBe(201);
    await travelBack(w.db, a.accountId, '1 MONTH');
    expect(await limitsOf(a)).toMatchObject({
      daily: { remaining: 200_000 },
      monthly: { remaining: 500_000 },
    });
    expect((await send(a, b, 7_000)).status).toBe(201);
    expect(await counters(a)).toEqual({ day: 7_000, month: 7_000 });
    expect(await checkLedger(w.db)).toEqual(HEALTHY);
  });

  it('fillOutflowCounters (the migration) gives what summing the postings gives', async () => {
    const a = await w.user(100_000);
    const b = await w.user();
    for (const amount of [10_000, 20_000, 30_000]) expect((await send(a, b, amount)).status).toBe(201);
    await w.db.query('START TRANSACTION');
    try {
      // History before today and before this month; counters wrong until the fill.
      await w.db.query(
        `UPDATE postings SET created_at = created_at - INTERVAL CASE amount WHEN -20000 THEN 1 ELSE 40 END DAY
         WHERE account_id = ? AND amount IN (-20000, -30000)`,
        [a.accountId],
      );
      await w.db.query(
        'UPDATE accounts SET outflow_day = 999, outflow_day_of = NULL, outflow_month = 999 WHERE id IN (?, ?)',
        [a.accountId, b.accountId],
      );
      await fillOutflowCounters(w.db);
      expect((await counters(a)).day).toBe(10_000);
      expect(await counters(a)).toEqual(await summed(a));
      expect(await counters(b)).toEqual({ day: 0, month: 0 });
      expect((await checkLedger(w.db)).outflowCountersOff).toBe(0);
    } finally {
      await w.db.query('ROLLBACK');
    }
  });
});
