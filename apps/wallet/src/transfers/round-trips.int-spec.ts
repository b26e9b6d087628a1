import { randomUUID } from 'node:crypto';
import { DEMO_MERCHANT_ID } from '@paychat/testing';
import { TestWalletUser, WalletHarness } from '../../../../test/harness/wallet-harness';
import { SqlTransaction } from '../db/sql-transaction';

type Raw = { raw(sql: string, params: unknown[]): Promise<unknown> };

/**
 * Round trips, not statements, bound how fast a hot account moves money (ADR 0006): what each
 * money transaction sends, one string per round trip, so batching stays the way it was measured.
 */
describe('round trips of the money path', () => {
  let w: WalletHarness;
  let alice: TestWalletUser;
  let bob: TestWalletUser;

  beforeAll(async () => {
    w = await WalletHarness.start();
    alice = await w.user(10_000);
    bob = await w.user();
  });
  afterAll(() => w.stop());

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
