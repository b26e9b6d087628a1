import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import type { ChatEventResult } from '@paychat/contracts';
import { createTestUser, loginTestUser } from '@paychat/testing';
import { ContractResponses } from '../../../../test/contract-responses';
import { type CallResult, type TestWalletUser, WalletHarness } from '../../../../test/harness/wallet-harness';
import type { PublishedEvent } from '../outbox/outbox-publisher';
import { Reconciler } from '../reconciliation/reconciler';

/** What the admin console reads and does: ledger health, merchants, the outbox, activity, the audit log. */
describe('admin console API (admin group only, audited, as the contract says)', () => {
  const contract = new ContractResponses();
  let w: WalletHarness;
  let admin: string;
  let adminId: string;
  /** Aggregates whose events the consumer rejects; everything else is applied. */
  const rejecting = new Set<string>();
  beforeAll(async () => {
    // The relay alone delivers (no fast path), so a test decides when delivery happens.
    w = await WalletHarness.start({ OUTBOX_FAST_PATH: 'false' });
    admin = (await loginTestUser(await createTestUser({ groups: ['admin'] }))).accessToken;
    adminId = String((await w.call('GET', '/v2/me', { token: admin })).body.userId);
    jest
      .spyOn(w.outboxPublisher, 'publish')
      .mockImplementation(async (events: PublishedEvent[]) =>
        events.map((e): ChatEventResult =>
          rejecting.has(e.aggregateId)
            ? { id: e.id, outcome: 'rejected', code: 'validation_failed' }
            : { id: e.id, outcome: 'applied' },
        ),
      );
  });
  afterAll(() => w.stop());

  /** An admin call whose answer must be what the contract documents for `template`. */
  const asAdmin = async (
    method: string,
    path: string,
    template: string,
    body?: unknown,
    requestId?: string,
  ) => {
    const res = await w.call(method, path, { token: admin, body, requestId });
    expect(contract.check(method, template, res.status, res.headers.get('content-type'), res.body)).toEqual(
      [],
    );
    return res;
  };
  const items = (res: CallResult) => res.body.items as Record<string, unknown>[];
  /** Lets every lease and backoff run out, then the relay delivers what is due. */
  const relayNow = async () => {
    await w.db.query('UPDATE outbox SET available_at = CURRENT_TIMESTAMP(3) WHERE delivered_at IS NULL');
    return w.outboxRelay.runOnce();
  };
  const eventOf = async (transferId: string) => {
    const [[row]] = (await w.db.query(
      'SELECT event_id, delivered_at, rejected_at, dismissed_at FROM outbox WHERE aggregate_id = ?',
      [transferId],
    )) as unknown as [[{ event_id: string; delivered_at: Date | null; dismissed_at: Date | null }]];
    return row;
  };
  /** A transfer whose chat event the consumer rejects; its id, its event's id and its request id. */
  const rejectedTransfer = async (from: TestWalletUser, to: TestWalletUser) => {
    const requestId = `rej-${randomUUID()}`;
    const t = await w.call('POST', '/v2/wallet/transfers', {
      token: from.token,
      key: randomUUID(),
      requestId,
      body: { toUserId: to.userId, amount: 1 },
    });
    expect(t.status).toBe(201);
    rejecting.add(String(t.body.id));
    await relayNow();
    const event = await eventOf(String(t.body.id));
    return { transferId: String(t.body.id), eventId: event.event_id, requestId };
  };

  it('answers 403 forbidden to a non-admin on every new route', async () => {
    const user = await w.user();
    const id = ulid();
    const routes: [string, string, unknown?][] = [
      ['GET', '/admin/v2/merchants'],
      ['GET', '/admin/v2/outbox'],
      ['GET', '/admin/v2/outbox/rejected'],
      ['POST', `/admin/v2/outbox/events/${id}/retry`, { reason: 'x' }],
      ['POST', `/admin/v2/outbox/events/${id}/dismiss`, { reason: 'x' }],
      ['GET', '/admin/v2/stats/activity'],
      ['GET', `/admin/v2/audit-log?actorId=${id}`],
    ];
    for (const [method, path, body] of routes) {
      const res = await w.call(method, path, { token: user.token, body });
      expect([path, res.status, res.body.code]).toEqual([path, 403, 'forbidden']);
    }
  });

  it('shows the last full reconciliation pass beside the latest run, and how many accounts there are', async () => {
    await w.user(100);
    const reconciler = w.app.get(Reconciler);
    await reconciler.run('full');
    await w.user(100); // an account the full pass has not seen
    await reconciler.run('incremental');
    const health = await asAdmin('GET', '/admin/v2/ledger/health', '/admin/v2/ledger/health');
    const accounts = await w.count(`SELECT COUNT(*) n FROM accounts WHERE kind <> 'system'`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      kind: 'incremental',
      balanced: true,
      accountsTotal: accounts,
      lastFullPass: { kind: 'full', balanced: true, accountsChecked: accounts - 1 },
    });
    expect(health.body.accountsChecked).toBeLessThan(accounts); // the quiet incremental run
    await reconciler.run('full');
    const after = await asAdmin('GET', '/admin/v2/ledger/health', '/admin/v2/ledger/health');
    expect(after.body).toMatchObject({ kind: 'full', accountsChecked: accounts, accountsTotal: accounts });
    expect(after.body.lastFullPass).toEqual(
      Object.fromEntries(
        Object.entries(after.body).filter(([k]) => !['lastFullPass', 'accountsTotal'].includes(k)),
      ),
    );
  });

  it('lists merchants newest first, page by page, with their accounts', async () => {
    const created: string[] = [];
    for (const name of ['Soba Ichi', 'Soba Ni', 'Soba San']) {
      const res = await asAdmin('POST', '/admin/v2/merchants', '/admin/v2/merchants', { name });
      created.push(String(res.body.id));
    }
    const seen: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const page = await asAdmin(
        'GET',
        `/admin/v2/merchants?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        '/admin/v2/merchants',
      );
      expect(items(page).length).toBeLessThanOrEqual(2);
      seen.push(...items(page));
      cursor = page.body.nextCursor as string | null;
    } while (cursor && !created.every((id) => seen.some((m) => m.id === id)));
    const ids = seen.map((m) => String(m.id));
    expect([...ids].sort().reverse()).toEqual(ids);
    expect(seen.find((m) => m.id === created[0])).toMatchObject({
      name: 'Soba Ichi',
      balance: 0,
      status: 'active',
      accountId: expect.stringMatching(/^[0-9]+$/),
    });
    const bad = await asAdmin('GET', '/admin/v2/merchants?cursor=bm9wZQ', '/admin/v2/merchants');
    expect([bad.status, bad.body.code]).toEqual([400, 'validation_failed']);
  });

  it('shows the outbox backlog and the rejected events; retries one until delivered, audited', async () => {
    const a = await w.user(100);
    const b = await w.user();
    // Earlier test files on this worker's database leave events behind (rejected ones too), which a
    // loaded machine may still be moving: start from a clean slate for counting.
    await w.db.query('UPDATE outbox SET delivered_at = CURRENT_TIMESTAMP(3) WHERE delivered_at IS NULL');
    const before = await asAdmin('GET', '/admin/v2/outbox', '/admin/v2/outbox');
    const rejected = await rejectedTransfer(a, b);
    const status = await asAdmin('GET', '/admin/v2/outbox', '/admin/v2/outbox');
    expect(status.body).toMatchObject({ backlog: 0, oldestWaitingAt: null, oldestWaitingAgeSeconds: 0 });
    expect(status.body.rejected).toBe(Number(before.body.rejected) + 1);

    const list = await asAdmin('GET', '/admin/v2/outbox/rejected?limit=100', '/admin/v2/outbox/rejected');
    expect(items(list)[0]).toMatchObject({
      id: rejected.eventId,
      topic: 'transfer.created',
      aggregateId: rejected.transferId,
      requestId: rejected.requestId,
      error: expect.stringContaining('validation_failed'),
      rejectedAt: expect.any(String),
      dismissedAt: null,
    });

    // Something waits: the backlog and the age of its oldest event say so.
    const c = await w.user();
    await w.transfer(a, c, randomUUID(), 1);
    const waiting = await asAdmin('GET', '/admin/v2/outbox', '/admin/v2/outbox');
    expect(waiting.body.backlog).toBeGreaterThanOrEqual(1);
    expect(Date.parse(String(waiting.body.oldestWaitingAt))).toBeLessThanOrEqual(Date.now());

    const retryPath = `/admin/v2/outbox/events/${rejected.eventId}/retry`;
    const template = '/admin/v2/outbox/events/{id}/retry';
    const noReason = await asAdmin('POST', retryPath, template, {});
    expect([noReason.status, noReason.body.code]).toEqual([400, 'validation_failed']);
    const badId = await asAdmin('POST', '/admin/v2/outbox/events/not-an-id/retry', template, { reason: 'x' });
    expect([badId.status, badId.body.code]).toEqual([400, 'validation_failed']);
    const unknown = await asAdmin('POST', `/admin/v2/outbox/events/${ulid()}/retry`, template, {
      reason: 'x',
    });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'not_found']);

    rejecting.delete(rejected.transferId); // the consumer was fixed
    const retried = await asAdmin('POST', retryPath, template, { reason: 'consumer fixed' }, 'retry-1');
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: rejected.eventId, state: 'rejected' });
    await w.outboxRelay.runOnce(); // due at once: no lease or backoff forced
    expect((await eventOf(rejected.transferId)).delivered_at).not.toBeNull();
    const again = await asAdmin('POST', retryPath, template, { reason: 'twice' });
    expect([again.status, again.body.code]).toEqual([409, 'event_not_rejected']);

    const log = await asAdmin(
      'GET',
      `/admin/v2/audit-log?action=outbox.retry&targetId=${rejected.eventId}`,
      '/admin/v2/audit-log',
    );
    expect(items(log)).toEqual([
      expect.objectContaining({
        actorId: adminId,
        targetType: 'outbox_event',
        requestId: 'retry-1',
        details: expect.objectContaining({ reason: 'consumer fixed', aggregateId: rejected.transferId }),
      }),
    ]);
  });

  it('dismisses a rejected event: never retried, no longer counted or listed, audited', async () => {
    const a = await w.user(100);
    const b = await w.user();
    const rejected = await rejectedTransfer(a, b);
    const counted = Number((await asAdmin('GET', '/admin/v2/outbox', '/admin/v2/outbox')).body.rejected);
    const path = `/admin/v2/outbox/events/${rejected.eventId}/dismiss`;
    const template = '/admin/v2/outbox/events/{id}/dismiss';
    const noReason = await asAdmin('POST', path, template, { reason: '' });
    expect([noReason.status, noReason.body.code]).toEqual([400, 'validation_failed']);

    const dismissed = await asAdmin('POST', path, template, { reason: 'bad payload' }, 'dismiss-1');
    expect(dismissed.status).toBe(200);
    expect(dismissed.body).toMatchObject({
      id: rejected.eventId,
      state: 'dismissed',
      dismissedAt: expect.any(String),
    });
    expect((await asAdmin('GET', '/admin/v2/outbox', '/admin/v2/outbox')).body.rejected).toBe(counted - 1);
    const list = await asAdmin('GET', '/admin/v2/outbox/rejected?limit=100', '/admin/v2/outbox/rejected');
    expect(items(list).map((e) => e.id)).not.toContain(rejected.eventId);

    rejecting.delete(rejected.transferId);
    await relayNow(); // even due and acceptable now, the relay leaves it alone
    expect(await eventOf(rejected.transferId)).toMatchObject({
      delivered_at: null,
      dismissed_at: expect.any(Date),
    });
    const again = await asAdmin('POST', path, template, { reason: 'twice' });
    expect([again.status, again.body.code]).toEqual([409, 'event_not_rejected']);

    const log = await asAdmin(
      'GET',
      `/admin/v2/audit-log?targetId=${rejected.eventId}`,
      '/admin/v2/audit-log',
    );
    expect(items(log)).toEqual([
      expect.objectContaining({ action: 'outbox.dismiss', requestId: 'dismiss-1', actorId: adminId }),
    ]);

    // A dismissed event may still be retried (the operator changed their mind).
    const retried = await asAdmin(
      'POST',
      `/admin/v2/outbox/events/${rejected.eventId}/retry`,
      '/admin/v2/outbox/events/{id}/retry',
      { reason: 'after all' },
    );
    expect(retried.body).toMatchObject({ state: 'rejected', dismissedAt: null });
    await w.outboxRelay.runOnce();
    expect((await eventOf(rejected.transferId)).delivered_at).not.toBeNull();
  });

  it('reports activity per minute: transfers, yen, delivery lag, and refusals by problem code', async () => {
    const a = await w.user(1_000);
    const b = await w.user();
    expect((await w.transfer(a, b, randomUUID(), 300)).status).toBe(201);
    expect((await w.transfer(a, b, randomUUID(), 200)).status).toBe(201);
    const refused = await w.transfer(a, b, randomUUID(), 5_000);
    expect(refused.body.code).toBe('insufficient_funds');
    await relayNow();

    const stats = await asAdmin('GET', '/admin/v2/stats/activity?hours=1', '/admin/v2/stats/activity');
    expect(stats.status).toBe(200);
    const minutes = stats.body.minutes as Record<string, number | string | null>[];
    expect(stats.body).toMatchObject({ hours: 1, bucketSeconds: 60 });
    expect(minutes).toHaveLength(60);
    const recent = minutes.slice(-2);
    expect(recent.reduce((n, m) => n + Number(m.transfers), 0)).toBeGreaterThanOrEqual(2);
    expect(recent.reduce((n, m) => n + Number(m.yen), 0)).toBeGreaterThanOrEqual(500);
    expect(recent.some((m) => Number(m.eventsDelivered) >= 1 && m.deliveryLagMaxMs !== null)).toBe(true);
    expect(stats.body.failures).toEqual(
      expect.arrayContaining([{ code: 'insufficient_funds', count: expect.any(Number) }]),
    );
    expect(Date.parse(String(minutes[0].at))).toBeGreaterThanOrEqual(Date.parse(String(stats.body.from)));

    const byDefault = await asAdmin('GET', '/admin/v2/stats/activity', '/admin/v2/stats/activity');
    expect(byDefault.body.minutes).toHaveLength(360);
    for (const hours of ['0', '25', 'x']) {
      const bad = await asAdmin('GET', `/admin/v2/stats/activity?hours=${hours}`, '/admin/v2/stats/activity');
      expect([hours, bad.status, bad.body.code]).toEqual([hours, 400, 'validation_failed']);
    }
  });

  it('finds a user by id, email and handle', async () => {
    const u = await w.user();
    const handle = `h${Date.now().toString(36)}`.slice(0, 20);
    expect((await w.call('PATCH', '/v2/me', { token: u.token, body: { handle } })).status).toBe(200);
    const email = String((await w.call('GET', '/v2/me', { token: u.token })).body.email);
    for (const query of [u.userId, email, handle]) {
      const found = await asAdmin(
        'GET',
        `/admin/v2/users?query=${encodeURIComponent(query)}`,
        '/admin/v2/users',
      );
      expect([query, items(found).map((f) => f.userId)]).toEqual([query, [u.userId]]);
    }
  });

  it("shows a user's limits left and bank accounts as the user sees them, masked, and audits the read", async () => {
    const [u, to] = [await w.user(5000), await w.user()];
    expect((await w.transfer(u, to, randomUUID(), 1200)).status).toBe(201);
    const own = await w.call('GET', '/v2/wallet', { token: u.token });
    const ownBanks = await w.call('GET', '/v2/wallet/bank-accounts', { token: u.token });
    const requestId = `detail-${randomUUID()}`;
    const res = await asAdmin(
      'GET',
      `/admin/v2/users/${u.userId}`,
      '/admin/v2/users/{userId}',
      undefined,
      requestId,
    );
    expect(res.status).toBe(200);
    expect(res.body.limits).toEqual(own.body.limits);
    expect((res.body.limits as { daily: { remaining: number; limit: number } }).daily).toMatchObject({
      remaining: (own.body.limits as { daily: { limit: number } }).daily.limit - 1200,
    });
    expect(res.body.bankAccounts).toEqual(ownBanks.body.items);
    expect(res.body.bankAccounts).toEqual([
      expect.objectContaining({
        id: u.bankAccountId,
        bankCode: '0001',
        last4: '4567',
        holderName: 'TEST USER',
      }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain('1234567'); // the harness links account number 1234567
    const audit = await asAdmin('GET', `/admin/v2/audit-log?targetId=${u.userId}`, '/admin/v2/audit-log');
    expect(items(audit).map((e) => [e.action, e.requestId])).toEqual([['user.read', requestId]]);
  });

  it('filters the audit log by actor, action, target and time, each entry with its request id', async () => {
    const u = await w.user();
    const start = new Date(Date.now() - 1).toISOString();
    await asAdmin('GET', `/admin/v2/users/${u.userId}`, '/admin/v2/users/{userId}', undefined, 'audit-f-1');
    await asAdmin(
      'POST',
      `/admin/v2/wallets/${u.userId}/freeze`,
      '/admin/v2/wallets/{userId}/freeze',
      { reason: 'check' },
      'audit-f-2',
    );
    const q = (query: string) => asAdmin('GET', `/admin/v2/audit-log?${query}`, '/admin/v2/audit-log');
    const byTarget = await q(`targetId=${u.userId}`);
    expect(items(byTarget).map((e) => [e.action, e.requestId])).toEqual([
      ['wallet.freeze', 'audit-f-2'],
      ['user.read', 'audit-f-1'],
    ]);
    expect(items(await q(`targetId=${u.userId}&action=user.read`)).map((e) => e.requestId)).toEqual([
      'audit-f-1',
    ]);
    expect(items(await q(`actorId=${adminId}&targetId=${u.userId}&from=${start}`))).toHaveLength(2);
    expect(items(await q(`actorId=${ulid()}&targetId=${u.userId}`))).toEqual([]);
    expect(items(await q(`targetId=${u.userId}&to=${start}`))).toEqual([]);
    const paged = await q(`targetId=${u.userId}&limit=1`);
    const next = await q(`targetId=${u.userId}&limit=1&cursor=${String(paged.body.nextCursor)}`);
    expect(items(next).map((e) => e.action)).toEqual(['user.read']);
    for (const bad of ['from=yesterday', 'actorId=x', 'action=DROP%20TABLE']) {
      const res = await q(bad);
      expect([bad, res.status, res.body.code]).toEqual([bad, 400, 'validation_failed']);
    }
  });
});
