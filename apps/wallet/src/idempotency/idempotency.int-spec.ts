import { randomUUID } from 'node:crypto';
import { DEMO_MERCHANT_ID } from '@paychat/testing';
import { TestWalletUser, WalletHarness } from '../../../../test/harness/wallet-harness';

describe('idempotency keys', () => {
  let w: WalletHarness;
  let alice: TestWalletUser;
  let bob: TestWalletUser;

  beforeAll(async () => {
    w = await WalletHarness.start();
    alice = await w.user(50_000);
    bob = await w.user();
  });
  afterAll(() => w.stop());

  const transfer = (key: string, amount = 100, from = alice) =>
    w.call('POST', '/v2/wallet/transfers', {
      token: from.token,
      key,
      body: { toUserId: bob.userId, amount },
    });
  const transfersWithKey = (key: string) =>
    w.count('SELECT COUNT(*) n FROM transfers WHERE idempotency_key = ?', [key]);

  it('replays the first answer for the same key and body, marked Idempotent-Replayed', async () => {
    const key = randomUUID();
    const first = await transfer(key);
    const again = await transfer(key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await transfersWithKey(key)).toBe(1);
  });

  it('refuses the same key with a different body or on a different path (422 idempotency_key_reused)', async () => {
    const key = randomUUID();
    await transfer(key, 100);
    const otherBody = await transfer(key, 101);
    expect(otherBody.status).toBe(422);
    expect(otherBody.body.code).toBe('idempotency_key_reused');
    const otherPath = await w.call('POST', '/v2/wallet/payments', {
      token: alice.token,
      key,
      body: { merchantId: DEMO_MERCHANT_ID, amount: 100 },
    });
    expect(otherPath.body.code).toBe('idempotency_key_reused');
    expect(await transfersWithKey(key)).toBe(1);
  });

  it('treats key order in the body as the same request', async () => {
    const key = randomUUID();
    await w.call('POST', '/v2/wallet/transfers', {
      token: alice.token,
      key,
      raw: `{"toUserId":"${bob.userId}","amount":7}`,
    });
    const reordered = await w.call('POST', '/v2/wallet/transfers', {
      token: alice.token,
      key,
      raw: `{"amount":7,"toUserId":"${bob.userId}"}`,
    });
    expect(reordered.status).toBe(201);
    expect(reordered.headers.get('idempotent-replayed')).toBe('true');
  });

  it('applies a duplicate fired concurrently once: the others replay or get 409', async () => {
    const key = randomUUID();
    const before = await w.balance(alice);
    const answers = await Promise.all(Array.from({ length: 10 }, () => transfer(key, 250)));
    for (const a of answers) expect([201, 409]).toContain(a.status);
    expect(answers.filter((a) => a.status === 201 && !a.headers.get('idempotent-replayed'))).toHaveLength(1);
    expect(await transfersWithKey(key)).toBe(1);
    expect(await w.balance(alice)).toBe(before - 250);
  });

  it('scopes keys per user', async () => {
    const key = randomUUID();
    const carol = await w.user(1_000);
    expect((await transfer(key, 5)).status).toBe(201);
    const theirs = await transfer(key, 5, carol);
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(await transfersWithKey(key)).toBe(2);
  });

  it('stores business failures too: the replay is the same 422, even after funds arrive', async () => {
    const poor = await w.user(10);
    const key = randomUUID();
    const first = await transfer(key, 500, poor);
    expect(first.body.code).toBe('insufficient_funds');
    await w.charge(poor, 1_000);
    const again = await transfer(key, 500, poor);
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('insufficient_funds');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await w.balance(poor)).toBe(1_010);
  });

  it('does not store 400s: the same key can be used after fixing the body', async () => {
    const key = randomUUID();
    expect((await transfer(key, -1)).status).toBe(400);
    expect((await transfer(key, 1)).status).toBe(201);
  });

  it('answers a retry whose cached response expired from the money row, without a second effect', async () => {
    const key = randomUUID();
    const first = await transfer(key, 321);
    // The janitor purged the cached response (keys expire); the money row stays forever.
    await w.db.query('DELETE FROM idempotency_keys WHERE user_id = ? AND idem_key = ?', [alice.userId, key]);
    const before = await w.balance(alice);
    const late = await transfer(key, 321);
    expect(late.status).toBe(201);
    expect(late.body).toEqual(first.body);
    expect(late.headers.get('idempotent-replayed')).toBe('true');
    expect(await w.balance(alice)).toBe(before);
    expect(await transfersWithKey(key)).toBe(1);
    await w.db.query('DELETE FROM idempotency_keys WHERE user_id = ? AND idem_key = ?', [alice.userId, key]);
    expect((await transfer(key, 999)).body.code).toBe('idempotency_key_reused');
  });
});
