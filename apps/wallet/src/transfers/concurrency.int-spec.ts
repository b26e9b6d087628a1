import { randomUUID } from 'node:crypto';
import { checkLedger, HEALTHY } from '../testing/ledger-invariants';
import { TestWalletUser, WalletHarness } from '../../../../test/harness/wallet-harness';

const USERS = 8;
const FUNDS = 100_000;
const TRANSFERS = 2_000;
const CLIENTS = 24;
const DUPLICATE_SHARE = 0.2;

describe('concurrency: money is never created, lost or moved twice', () => {
  let w: WalletHarness;
  // Limits are not what this suite is about: give every level room for the whole run.
  const roomy = { perOperation: 1_000_000, daily: 1e12, monthly: 1e12, maxBalance: 1e12 };
  beforeAll(
    async () =>
      (w = await WalletHarness.start({ KYC_LIMITS: JSON.stringify({ none: roomy, verified: roomy }) })),
  );
  afterAll(() => w.stop());

  it(`bank checker: ${TRANSFERS} random transfers from ${CLIENTS} clients with ${DUPLICATE_SHARE * 100}% concurrent duplicate retries`, async () => {
    const users: TestWalletUser[] = [];
    for (let i = 0; i < USERS; i++) users.push(await w.user(FUNDS));
    const ids = users.map((u) => u.userId);
    const succeeded = new Set<string>();
    const refused = new Set<string>();
    let issued = 0;

    const client = async () => {
      while (issued < TRANSFERS) {
        issued++;
        const from = users[Math.floor(Math.random() * USERS)];
        let to = users[Math.floor(Math.random() * USERS)];
        if (to === from) to = users[(users.indexOf(from) + 1) % USERS];
        const key = randomUUID();
        const body = { toUserId: to.userId, amount: 1 + Math.floor(Math.random() * 30_000) };
        const send = () => w.call('POST', '/v2/wallet/transfers', { token: from.token, key, body });
        const answers = await Promise.all(Math.random() < DUPLICATE_SHARE ? [send(), send()] : [send()]);
        for (const a of answers) {
          expect([201, 409, 422]).toContain(a.status);
          if (a.status === 201) succeeded.add(key);
          if (a.status === 422) {
            expect(a.body.code).toBe('insufficient_funds');
            refused.add(key);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));

    expect(await checkLedger(w.db)).toEqual(HEALTHY);
    const [[sum]] = (await w.db.query(
      `SELECT SUM(balance) s FROM accounts WHERE kind = 'user' AND owner_id IN (?)`,
      [ids],
    )) as unknown as [[{ s: string }]];
    expect(Number(sum.s)).toBe(USERS * FUNDS);
    // Each key applied at most once, and exactly the keys that answered 201.
    const [rows] = (await w.db.query('SELECT idempotency_key k FROM transfers WHERE initiator_id IN (?)', [
      ids,
    ])) as unknown as [{ k: string }[]];
    expect(rows).toHaveLength(succeeded.size);
    expect(new Set(rows.map((r) => r.k))).toEqual(succeeded);
    for (const key of refused) expect(succeeded.has(key)).toBe(false);
    // Every user's history adds up to their balance.
    for (const user of users) {
      let total = 0;
      let cursor: string | null = null;
      do {
        const page = await w.call(
          'GET',
          `/v2/wallet/transactions?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
          { token: user.token },
        );
        total += (page.body.items as { amount: number }[]).reduce((s, i) => s + i.amount, 0);
        cursor = page.body.nextCursor as string | null;
      } while (cursor);
      expect(total).toBe(await w.balance(user));
    }
  }, 120_000);

  it('double spend: 12 concurrent transfers of the whole balance with different keys → exactly one succeeds', async () => {
    const payer = await w.user(1_000);
    const payees = await Promise.all(Array.from({ length: 3 }, () => w.user()));
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        w.call('POST', '/v2/wallet/transfers', {
          token: payer.token,
          key: randomUUID(),
          body: { toUserId: payees[i % 3].userId, amount: 1_000 },
        }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 422 && a.body.code === 'insufficient_funds')).toHaveLength(11);
    expect(await w.balance(payer)).toBe(0);
    expect(await checkLedger(w.db)).toEqual(HEALTHY);
  });
});
