import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { Metrics } from '@paychat/telemetry';
import { DEMO_MERCHANT_ID } from '@paychat/testing';
import { type TestWalletUser, WalletHarness } from '../../../../test/harness/wallet-harness';

describe('money metrics: each request’s answer by result, and the yen moved once committed', () => {
  let w: WalletHarness;
  beforeAll(async () => (w = await WalletHarness.start()));
  afterAll(() => w.stop());

  const value = (name: string, labels: Record<string, string>) => w.app.get(Metrics).valueOf(name, labels);
  const transfers = (result: string) => value('wallet_transfers_total', { result });
  const payments = (result: string) => value('wallet_payments_total', { result });
  const moved = (kind: string) => value('wallet_money_moved_yen_total', { kind });
  const pay = (payer: TestWalletUser, amount: number, merchantId = DEMO_MERCHANT_ID, key = randomUUID()) =>
    w.call('POST', '/v2/wallet/payments', { token: payer.token, key, body: { merchantId, amount } });

  it('5 transfers and one refused for funds: completed +5, insufficient_funds +1, the five’s yen moved', async () => {
    const [alice, bob, poor] = [await w.user(10_000), await w.user(), await w.user(10)];
    const before = {
      completed: await transfers('completed'),
      refused: await transfers('insufficient_funds'),
      moved: await moved('transfer'),
    };
    for (const amount of [100, 200, 300, 400, 500])
      expect((await w.transfer(alice, bob, randomUUID(), amount)).status).toBe(201);
    expect((await w.transfer(poor, bob, randomUUID(), 500)).body.code).toBe('insufficient_funds');

    expect(await transfers('completed')).toBe(before.completed + 5);
    expect(await transfers('insufficient_funds')).toBe(before.refused + 1);
    // The refused one's entry was rolled back: it moved nothing.
    expect(await moved('transfer')).toBe(before.moved + 1_500);
  });

  it('does not count a replay again: it answers a request already counted', async () => {
    const [alice, bob, poor] = [await w.user(1_000), await w.user(), await w.user(10)];
    const [done, refusal] = [randomUUID(), randomUUID()];
    const before = {
      completed: await transfers('completed'),
      refused: await transfers('insufficient_funds'),
      moved: await moved('transfer'),
    };
    for (let i = 0; i < 2; i++) {
      expect((await w.transfer(alice, bob, done, 70)).status).toBe(201);
      expect((await w.transfer(poor, bob, refusal, 70)).body.code).toBe('insufficient_funds');
    }
    expect(await transfers('completed')).toBe(before.completed + 1);
    expect(await transfers('insufficient_funds')).toBe(before.refused + 1);
    expect(await moved('transfer')).toBe(before.moved + 70);
  });

  it('counts merchant payments apart, with the code of a refusal', async () => {
    const payer = await w.user(1_000);
    const before = {
      completed: await payments('completed'),
      unknown: await payments('recipient_not_found'),
      moved: await moved('payment'),
      transfers: await transfers('completed'),
    };
    expect((await pay(payer, 480)).status).toBe(201);
    expect((await pay(payer, 480, ulid())).body.code).toBe('recipient_not_found');
    expect(await payments('completed')).toBe(before.completed + 1);
    expect(await payments('recipient_not_found')).toBe(before.unknown + 1);
    expect(await moved('payment')).toBe(before.moved + 480);
    expect(await transfers('completed')).toBe(before.transfers);
  });

  it('counts money in when the bank credits it, and money out once paid out (not when held)', async () => {
    const charged = await moved('charge');
    const u = await w.user(5_000, { verified: true });
    expect(await moved('charge')).toBe(charged + 5_000);
    const withdrawn = await moved('withdrawal');
    const withdrawal = await w.call('POST', '/v2/wallet/withdrawals', {
      token: u.token,
      key: randomUUID(),
      body: { amount: 1_200, bankAccountId: u.bankAccountId },
    });
    expect(withdrawal.status).toBe(201);
    expect(await moved('withdrawal')).toBe(withdrawn + 1_200);
  });
});
