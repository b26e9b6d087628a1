import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { DEMO_MERCHANT_ID } from '@paychat/testing';
import { TestWalletUser, WalletHarness } from '../../../../test/harness/wallet-harness';
import { SqlTransaction } from '../db/sql-transaction';

/** SqlTransaction's private way to its connection: every round trip of a transaction passes there. */
type Raw = { raw(sql: string, params: unknown[]): Promise<unknown> };

describe('transfers and payments (wallet on MariaDB)', () => {
  let w: WalletHarness;
  let alice: TestWalletUser;
  let bob: TestWalletUser;

  beforeAll(async () => {
    w = await WalletHarness.start();
    alice = await w.user(10_000);
    bob = await w.user();
  });
  afterAll(() => w.stop());

  const send = (from: TestWalletUser, body: unknown, key: string = randomUUID()) =>
    w.call('POST', '/v2/wallet/transfers', { token: from.token, key, body });

  it('moves money, answers with the sender balance, and both histories show it', async () => {
    const res = await send(alice, { toUserId: bob.userId, amount: 1500, memo: 'ramen' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      fromUserId: alice.userId,
      toUserId: bob.userId,
      amount: 1500,
      memo: 'ramen',
      balance: 8500,
    });
    expect(await w.balance(bob)).toBe(1500);

    const mine = await w.call('GET', '/v2/wallet/transactions', { token: alice.token });
    expect(mine.body.items).toEqual([
      expect.objectContaining({
        id: res.body.id,
        type: 'transfer_out',
        status: 'completed',
        amount: -1500,
        balanceAfter: 8500,
        memo: 'ramen',
      }),
      expect.objectContaining({ type: 'charge', amount: 10_000, balanceAfter: 10_000 }),
    ]);
    const theirs = await w.call('GET', '/v2/wallet/transactions', { token: bob.token });
    expect((theirs.body.items as object[])[0]).toMatchObject({
      type: 'transfer_in',
      amount: 1500,
      counterparty: { id: alice.userId },
    });
  });

  it('shows a transfer to its two parties only', async () => {
    const res = await send(alice, { toUserId: bob.userId, amount: 10 });
    const id = String(res.body.id);
    expect((await w.call('GET', `/v2/wallet/transfers/${id}`, { token: bob.token })).body).toMatchObject({
      id,
      amount: 10,
    });
    const stranger = await w.user();
    const hidden = await w.call('GET', `/v2/wallet/transfers/${id}`, { token: stranger.token });
    expect(hidden.status).toBe(404);
    expect((await w.call('GET', `/v2/wallet/transfers/${ulid()}`, { token: bob.token })).status).toBe(404);
  });

  it('pays a merchant', async () => {
    const res = await w.call('POST', '/v2/wallet/payments', {
      token: alice.token,
      key: randomUUID(),
      body: { merchantId: DEMO_MERCHANT_ID, amount: 480, reference: 'latte' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ merchantId: DEMO_MERCHANT_ID, amount: 480, reference: 'latte' });
  });

  describe('refusals leave nothing written', () => {
    const rowsNow = async () =>
      (await w.count('SELECT COUNT(*) n FROM transfers')) +
      (await w.count('SELECT COUNT(*) n FROM postings'));

    it.each([
      ['zero', 0],
      ['negative', -100],
      ['fractional', 10.5],
      ['a string', '100'],
      ['huge', 1_000_001],
      ['enormous', 1e30],
      ['null', null],
      ['a boolean', true],
    ])('amount %s → 400 validation_failed', async (_, amount) => {
      const before = await rowsNow();
      const res = await send(alice, { toUserId: bob.userId, amount });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(new Set((res.body.errors as { field: string }[]).map((e) => e.field))).toEqual(
        new Set(['amount']),
      );
      expect(await rowsNow()).toBe(before);
    });

    it.each([
      ['balance', { balance: 1_000_000 }],
      ['status', { status: 'completed' }],
      ['fromUserId', { fromUserId: ulid() }],
    ])('mass-assigning %s → 400 naming it', async (field, extra) => {
      const before = await rowsNow();
      const res = await send(alice, { toUserId: bob.userId, amount: 1, ...extra });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field, message: 'unknown field' }]);
      expect(await rowsNow()).toBe(before);
    });

    it.each([
      ['self_transfer', 422, () => ({ toUserId: alice.userId, amount: 1 })],
      ['recipient_not_found', 404, () => ({ toUserId: ulid(), amount: 1 })],
      ['insufficient_funds', 422, () => ({ toUserId: bob.userId, amount: 1_000_000 })],
    ])('%s → %i', async (code, status, body) => {
      const before = await rowsNow();
      const res = await send(alice, body());
      expect(res.status).toBe(status);
      expect(res.body.code).toBe(code);
      expect(await rowsNow()).toBe(before);
    });

    it('a missing or oversized Idempotency-Key → 400 idempotency_key_required', async () => {
      const missing = await w.call('POST', '/v2/wallet/transfers', {
        token: alice.token,
        body: { toUserId: bob.userId, amount: 1 },
      });
      expect(missing.status).toBe(400);
      expect(missing.body.code).toBe('idempotency_key_required');
      expect((await send(alice, { toUserId: bob.userId, amount: 1 }, 'k'.repeat(256))).body.code).toBe(
        'idempotency_key_required',
      );
    });

    it('frozen sender → 423 account_frozen; frozen or disabled recipient → 422 recipient_unavailable', async () => {
      const carol = await w.user(100);
      const dave = await w.user();
      await w.db.query(`UPDATE accounts SET status = 'frozen' WHERE id = ?`, [carol.accountId]);
      expect((await send(carol, { toUserId: dave.userId, amount: 1 })).status).toBe(423);
      const toFrozen = await send(alice, { toUserId: carol.userId, amount: 1 });
      expect(toFrozen.status).toBe(422);
      expect(toFrozen.body.code).toBe('recipient_unavailable');
      await w.db.query(`UPDATE users SET status = 'disabled' WHERE id = ?`, [dave.userId]);
      expect((await send(alice, { toUserId: dave.userId, amount: 1 })).body.code).toBe(
        'recipient_unavailable',
      );
      expect(await w.balance(alice)).toBeGreaterThan(0);
    });
  });

  it('pages history by cursor without skipping or repeating', async () => {
    const erin = await w.user(5_000);
    for (let i = 0; i < 7; i++) await send(erin, { toUserId: bob.userId, amount: 1 + i });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await w.call(
        'GET',
        `/v2/wallet/transactions?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        { token: erin.token },
      );
      expect(page.status).toBe(200);
      seen.push(...(page.body.items as { id: string }[]).map((i) => i.id));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    expect((await w.call('GET', '/v2/wallet/transactions?limit=101', { token: erin.token })).status).toBe(
      400,
    );
    expect((await w.call('GET', '/v2/wallet/transactions?cursor=%24%24', { token: erin.token })).status).toBe(
      400,
    );
  });

  /**
   * Round trips, not statements, bound how fast a hot account moves money (ADR 0006): what each
   * money transaction sends, one string per round trip, so batching stays the way it was measured.
   */
  describe('round trips', () => {
    /** The round trips of the transaction that claimed an idempotency key during `request`. */
    async function roundTripsOf(request: () => Promise<{ status: number }>): Promise<string[]> {
      const spy = jest.spyOn(SqlTransaction.prototype as unknown as Raw, 'raw');
      try {
        expect((await request()).status).toBe(201);
        const byTransaction = new Map<unknown, string[]>();
        spy.mock.calls.forEach(([sql], i) => {
          const tx = spy.mock.contexts[i];
          byTransaction.set(tx, [...(byTransaction.get(tx) ?? []), sql]);
        });
        return [...byTransaction.values()].find((sent) => /INSERT INTO idempotency_keys/.test(sent[0]))!;
      } finally {
        spy.mockRestore();
      }
    }

    it('a transfer is five: key + savepoint; recipient + money row; locks; entry + event; key + commit', async () => {
      const sent = await roundTripsOf(() => w.transfer(alice, bob, randomUUID()));
      expect(sent).toHaveLength(5);
      expect(sent[0]).toMatch(
        /^START TRANSACTION;[\s\S]*INSERT INTO idempotency_keys[\s\S]*SAVEPOINT operation$/,
      );
      expect(sent[1]).toMatch(/FROM users[\s\S]*;\s*INSERT INTO transfers/);
      expect(sent[2]).toMatch(/FOR UPDATE$/);
      expect(sent[3]).toMatch(
        /UPDATE accounts[\s\S]*INSERT INTO journal_entries[\s\S]*INSERT INTO postings[\s\S]*INSERT INTO outbox/,
      );
      expect(sent[4]).toMatch(/UPDATE idempotency_keys[\s\S]*; COMMIT$/);
    });

    it('a merchant payment is six: key + savepoint; merchant; money row; locks; entry; key + commit', async () => {
      const sent = await roundTripsOf(() =>
        w.call('POST', '/v2/wallet/payments', {
          token: alice.token,
          key: randomUUID(),
          body: { merchantId: DEMO_MERCHANT_ID, amount: 1 },
        }),
      );
      expect(sent).toHaveLength(6);
      expect(sent[1]).toMatch(/FROM merchants/);
      expect(sent[2]).toMatch(/^INSERT INTO payments/);
      expect(sent[3]).toMatch(/FOR UPDATE$/);
      expect(sent[4]).toMatch(/UPDATE accounts[\s\S]*INSERT INTO journal_entries[\s\S]*INSERT INTO postings/);
      expect(sent[5]).toMatch(/UPDATE idempotency_keys[\s\S]*; COMMIT$/);
    });
  });
});
