import { randomUUID } from 'node:crypto';
import type { Gauge } from 'prom-client';
import { Metrics } from '@paychat/telemetry';
import { createTestUser, loginTestUser } from '@paychat/testing';
import { WalletHarness } from '../../../../test/harness/wallet-harness';
import { Reconciler } from './reconciler';

describe('continuous reconciliation and /admin/v2/ledger/health', () => {
  let w: WalletHarness;
  let adminToken: string;
  beforeAll(async () => {
    w = await WalletHarness.start();
    adminToken = (await loginTestUser(await createTestUser({ groups: ['admin'] }))).accessToken;
  });
  afterAll(() => w.stop());

  const health = (token: string) => w.call('GET', '/admin/v2/ledger/health', { token });
  /** Snapshots only look at entries a few seconds old (later-committing siblings): age the new ones. */
  const ageEntries = () =>
    w.db.query('UPDATE journal_entries SET created_at = created_at - INTERVAL 1 MINUTE');

  it('is for the admin group only', async () => {
    const user = await w.user();
    const res = await health(user.token);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
  });

  it('tells the metrics nothing before a pass, then what the last pass found and when the full one ran', async () => {
    const metrics = w.app.get(Metrics);
    const samples = async (name: string) => (await metrics.registry.getSingleMetric(name)!.get()).values;
    expect(await samples('wallet_reconciliation_mismatches')).toEqual([]);
    expect(await samples('wallet_reconciliation_last_full_pass_timestamp_seconds')).toEqual([]);
    await ageEntries();
    const started = Date.now() / 1000;
    await w.app.get(Reconciler).run('full');
    expect(await metrics.valueOf('wallet_reconciliation_mismatches')).toBe(0);
    const lastFull = 'wallet_reconciliation_last_full_pass_timestamp_seconds';
    expect(await metrics.valueOf(lastFull)).toBeGreaterThanOrEqual(Math.floor(started));
    // A replica that has not run the pass itself learns its time when it checks whether one is due.
    (metrics.registry.getSingleMetric(lastFull) as Gauge).remove();
    expect(await w.app.get(Reconciler).fullPassDue(new Date(0))).toBe(false);
    expect(await metrics.valueOf(lastFull)).toBeGreaterThanOrEqual(Math.floor(started) - 1);
  });

  it('reports a healthy ledger after real traffic, from the stored snapshot', async () => {
    const a = await w.user(5_000);
    const b = await w.user();
    await w.call('POST', '/v2/wallet/transfers', {
      token: a.token,
      key: randomUUID(),
      body: { toUserId: b.userId, amount: 700 },
    });
    await ageEntries();
    const full = await w.app.get(Reconciler).run('full');
    expect(full).toMatchObject({ balanced: true, mismatches: [] });
    const res = await health(adminToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ balanced: true, mismatches: [], totalBalance: full.totalBalance });
    expect(Date.parse(String(res.body.asOf))).toBeGreaterThan(Date.now() - 60_000);
  });

  it('detects a posting inserted behind the service’s back in the next incremental snapshot', async () => {
    const reconciler = w.app.get(Reconciler);
    await ageEntries();
    await reconciler.run('incremental');
    const victim = await w.user(1_000);
    const [entry] = (await w.db.query(
      `INSERT INTO journal_entries (kind, op_id, created_at) VALUES ('forged', ?, CURRENT_TIMESTAMP(3) - INTERVAL 1 MINUTE)`,
      ['01FORGED000000000000000000'],
    )) as unknown as [{ insertId: number }];
    await w.db.query(
      `INSERT INTO postings (entry_id, account_id, amount, op_type, op_id) VALUES (?, ?, 1000000, 'charge', '01FORGED000000000000000000')`,
      [entry.insertId, victim.accountId],
    );
    try {
      const snapshot = await reconciler.run('incremental');
      expect(snapshot.balanced).toBe(false);
      expect(await w.app.get(Metrics).valueOf('wallet_reconciliation_mismatches')).toBe(
        snapshot.mismatches.length,
      );
      expect(snapshot.mismatches).toEqual(
        expect.arrayContaining([
          { kind: 'entry_unbalanced', entryId: entry.insertId, sum: 1_000_000 },
          { kind: 'account_off_postings', accountId: victim.accountId, balance: 1_000, postings: 1_001_000 },
        ]),
      );
      const res = await health(adminToken);
      expect(res.body.balanced).toBe(false);
    } finally {
      await w.db.query('DELETE FROM postings WHERE entry_id = ?', [entry.insertId]);
      await w.db.query('DELETE FROM journal_entries WHERE id = ?', [entry.insertId]);
    }
    expect((await reconciler.run('full')).balanced).toBe(true);
    expect(await w.app.get(Metrics).valueOf('wallet_reconciliation_mismatches')).toBe(0);
  });

  it('finds a balance changed behind the ledger in the next incremental pass, without summing every account', async () => {
    const reconciler = w.app.get(Reconciler);
    const a = await w.user(2_000);
    const b = await w.user();
    await ageEntries();
    await reconciler.run('incremental');
    await w.db.query('UPDATE accounts SET balance = balance + 5000 WHERE id = ?', [b.accountId]);
    try {
      const t = await w.call('POST', '/v2/wallet/transfers', {
        token: a.token,
        key: randomUUID(),
        body: { toUserId: b.userId, amount: 100 },
      });
      expect(t.status).toBe(201);
      await ageEntries();
      const snapshot = await reconciler.run('incremental');
      expect(snapshot.accountsChecked).toBe(2);
      expect(snapshot.mismatches).toEqual([
        { kind: 'account_off_postings', accountId: b.accountId, balance: 5_100, postings: 100 },
      ]);
    } finally {
      await w.db.query('UPDATE accounts SET balance = balance - 5000 WHERE id = ?', [b.accountId]);
      await w.db.query(
        'UPDATE postings SET balance_after = balance_after - 5000 WHERE account_id = ? AND seq = 1',
        [b.accountId],
      );
    }
    expect((await reconciler.run('full')).balanced).toBe(true);
  });

  it('reports an outflow counter that no longer matches the postings of its period', async () => {
    const reconciler = w.app.get(Reconciler);
    const a = await w.user(5_000);
    const b = await w.user();
    const send = (amount: number) =>
      w.call('POST', '/v2/wallet/transfers', {
        token: a.token,
        key: randomUUID(),
        body: { toUserId: b.userId, amount },
      });
    expect((await send(700)).status).toBe(201);
    await ageEntries();
    await reconciler.run('incremental');
    await w.db.query('UPDATE accounts SET outflow_day = outflow_day - 500 WHERE id = ?', [a.accountId]);
    try {
      expect((await send(300)).status).toBe(201); // touches the account: the next incremental run looks
      await ageEntries();
      const snapshot = await reconciler.run('incremental');
      expect(snapshot.balanced).toBe(false);
      expect(await w.app.get(Metrics).valueOf('wallet_reconciliation_mismatches')).toBe(
        snapshot.mismatches.length,
      );
      expect(snapshot.mismatches).toEqual([
        { kind: 'outflow_counter_off', accountId: a.accountId, period: 'day', counter: 500, postings: 1_000 },
      ]);
      expect((await health(adminToken)).body.mismatches).toEqual(snapshot.mismatches);
    } finally {
      await w.db.query('UPDATE accounts SET outflow_day = outflow_day + 500 WHERE id = ?', [a.accountId]);
    }
    expect((await reconciler.run('full')).balanced).toBe(true);
  });
});
