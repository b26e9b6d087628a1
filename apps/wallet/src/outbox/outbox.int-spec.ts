import { randomUUID } from 'node:crypto';
import { BaseEnv, loadConfig } from '@paychat/config';
import type { ChatEvent, ChatEventOutcome } from '@paychat/contracts';
import { RequestVerifier, ServiceKeys } from '@paychat/signing';
import { Metrics } from '@paychat/telemetry';
import { stubServer } from '@paychat/testing';
import { type TestWalletUser, WalletHarness } from '../../../../test/harness/wallet-harness';
import { OutboxDelivery } from './outbox-delivery';
import { OutboxDispatcher } from './outbox-dispatcher';
import { OutboxRelay } from './outbox.relay';

/**
 * A stand-in for the messages service's batch endpoint: checks the signature as messages does (a resent
 * call must be signed afresh: a repeated nonce is refused), answers as told.
 */
function receiver() {
  const verifier = new RequestVerifier(ServiceKeys.parse(loadConfig(BaseEnv).INTERNAL_SECRETS, 'messages'));
  const state = {
    events: [] as ChatEvent[],
    batches: 0,
    /** Each batch call's `x-request-id`, in order. */
    requestIds: [] as (string | string[] | undefined)[],
    unsigned: 0,
    down: false,
    /** How long each batch call takes to answer (a slow consumer). */
    delayMs: 0,
    /** Per event: what to answer (default applied); applied events are recorded. */
    outcome: (_e: ChatEvent): ChatEventOutcome => 'applied',
  };
  const server = stubServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const check = verifier.verify(req.headers, { method: req.method!, path: req.url!, body });
      if (!check.ok || check.caller !== 'wallet' || req.url !== '/internal/events/batch') {
        state.unsigned++;
        return res.writeHead(401).end();
      }
      if (state.down) return res.writeHead(503).end();
      state.batches++;
      state.requestIds.push(req.headers['x-request-id']);
      const { events } = JSON.parse(body) as { events: ChatEvent[] };
      const failedChats = new Set<string>();
      const results = events.map((e) => {
        // As the contract says: after a failed event, the later ones of its chat are not tried.
        const p = e.payload as { fromUserId: string; toUserId: string };
        const chat = [p.fromUserId, p.toUserId].sort().join();
        const outcome = failedChats.has(chat) ? 'failed' : state.outcome(e);
        if (outcome === 'failed') failedChats.add(chat);
        if (outcome === 'applied') state.events.push(e);
        return { id: e.id, outcome, ...(outcome === 'rejected' ? { code: 'validation_failed' } : {}) };
      });
      const answer = () =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results }));
      setTimeout(answer, state.delayMs);
    });
  });
  return { state, ...server };
}

const LEASE_MS = 300;
const RELAY_LEASE_MS = 1_500;

describe('transactional outbox: fast path at commit, relay as the safety net', () => {
  const messages = receiver();
  let w: WalletHarness;
  let relay: OutboxRelay;

  const send = async (from: TestWalletUser, to: TestWalletUser, amount: number, memo?: string) => {
    const t = await w.call('POST', '/v2/wallet/transfers', {
      token: from.token,
      key: randomUUID(),
      body: { toUserId: to.userId, amount, ...(memo ? { memo } : {}) },
    });
    return { status: t.status, id: String(t.body.id), requestId: t.headers.get('x-request-id') };
  };
  const undelivered = (aggregateIds: string[]) =>
    w.count(
      `SELECT COUNT(*) n FROM outbox WHERE delivered_at IS NULL AND aggregate_id IN (${aggregateIds.map(() => '?').join(',')})`,
      aggregateIds,
    );
  const applied = (aggregateId: string) => messages.state.events.filter((e) => e.aggregateId === aggregateId);
  const until = async (check: () => boolean | Promise<boolean>, ms = 5_000) => {
    for (const end = Date.now() + ms; !(await check());) {
      if (Date.now() > end) throw new Error('timed out waiting');
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  /** Lets leases and backoffs run out, then the relay delivers whatever is left. */
  const relayNow = async () => {
    await w.db.query('UPDATE outbox SET available_at = CURRENT_TIMESTAMP(3) WHERE delivered_at IS NULL');
    return relay.runOnce();
  };

  beforeAll(async () => {
    w = await WalletHarness.start({
      MESSAGES_URL: await messages.start(),
      OUTBOX_FAST_PATH: 'true',
      OUTBOX_FAST_PATH_LEASE_MS: String(LEASE_MS),
      OUTBOX_RELAY_LEASE_MS: String(RELAY_LEASE_MS),
    });
    relay = w.app.get(OutboxRelay);
    // Earlier test files leave undelivered events behind; start from a clean slate for counting.
    await w.db.query('UPDATE outbox SET delivered_at = CURRENT_TIMESTAMP(3) WHERE delivered_at IS NULL');
  });
  /** Transfers the fast path never sees (as if their process died at COMMIT): the relay's, and due now. */
  const sendForRelay = async (pairs: [TestWalletUser, TestWalletUser][]) => {
    const held = jest.spyOn(w.app.get(OutboxDispatcher), 'dispatch').mockImplementation(() => undefined);
    const ids: string[] = [];
    for (const [from, to] of pairs) ids.push((await send(from, to, 1)).id);
    held.mockRestore();
    await w.db.query('UPDATE outbox SET available_at = CURRENT_TIMESTAMP(3) WHERE delivered_at IS NULL');
    return ids;
  };
  const orderOf = (ids: string[]) =>
    messages.state.events.map((e) => e.aggregateId).filter((id) => ids.includes(id));

  afterEach(() => {
    messages.state.delayMs = 0;
    messages.state.down = false;
    messages.state.outcome = () => 'applied';
  });
  afterAll(async () => {
    await w.stop();
    await messages.stop();
  });

  it('hands a committed transfer to the chat at once, signed, and marks it delivered', async () => {
    const [a, b] = [await w.user(1_000), await w.user()];
    const t = await send(a, b, 300, 'tea');
    expect(t.status).toBe(201);
    await until(async () => (await undelivered([t.id])) === 0);
    expect(applied(t.id)).toEqual([
      expect.objectContaining({
        id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
        topic: 'transfer.created',
        version: 1,
        payload: expect.objectContaining({ id: t.id, fromUserId: a.userId, toUserId: b.userId, memo: 'tea' }),
      }),
    ]);
    expect(messages.state.unsigned).toBe(0);
    expect(await relayNow()).toBe(0); // nothing left for the safety net
  });

  it('writes and sends nothing when the transfer is refused (rolled back to the savepoint)', async () => {
    const [a, b] = [await w.user(10), await w.user()];
    const before = await w.count('SELECT COUNT(*) n FROM outbox');
    const batches = messages.state.batches;
    expect((await send(a, b, 300)).status).toBe(422);
    await new Promise((r) => setTimeout(r, 100));
    expect(await w.count('SELECT COUNT(*) n FROM outbox')).toBe(before);
    expect(messages.state.batches).toBe(batches);
  });

  it('delivers later, once, what a process that died between commit and delivery never sent', async () => {
    const [a, b] = [await w.user(1_000), await w.user()];
    const dispatcher = w.app.get(OutboxDispatcher);
    // The process "dies" right after COMMIT: the event never reaches the fast path.
    const lost = jest.spyOn(dispatcher, 'dispatch').mockImplementation(() => undefined);
    const t = await send(a, b, 5);
    lost.mockRestore();
    expect(applied(t.id)).toHaveLength(0);
    expect(await relay.runOnce()).toBe(0); // still leased to the fast path
    await new Promise((r) => setTimeout(r, LEASE_MS + 50));
    expect(await relay.runOnce()).toBe(1);
    expect(await relay.runOnce()).toBe(0);
    expect(applied(t.id)).toHaveLength(1);
  });

  it('while messages is down, keeps every event and delivers each once, in chat order, when it is back', async () => {
    const [a, b, c] = [await w.user(10_000), await w.user(), await w.user()];
    messages.state.down = true;
    const sent: string[] = [];
    for (let i = 0; i < 6; i++) sent.push((await send(a, i % 2 ? b : c, 1 + i)).id);
    await new Promise((r) => setTimeout(r, 100));
    expect(await undelivered(sent)).toBe(6);
    expect(await relayNow()).toBe(0);
    const [[row]] = (await w.db.query(
      'SELECT attempts, last_error, available_at > CURRENT_TIMESTAMP(3) AS later FROM outbox WHERE aggregate_id = ?',
      [sent[0]],
    )) as unknown as [[{ attempts: number; last_error: string; later: number }]];
    expect(row).toMatchObject({ attempts: expect.any(Number), later: 1 });
    expect(row.last_error).toContain('503');

    messages.state.down = false;
    expect(await relayNow()).toBe(6);
    const seen = sent.map((id) => applied(id));
    expect(seen.every((s) => s.length === 1)).toBe(true);
    const order = messages.state.events.map((e) => e.aggregateId).filter((id) => sent.includes(id));
    for (const chat of [0, 1]) {
      const mine = sent.filter((_, i) => i % 2 === chat);
      expect(order.filter((id) => mine.includes(id))).toEqual(mine);
    }
  });

  it('retries only what a partly applied batch did not apply, and a failed event holds back its chat only', async () => {
    const [a, b, c, d] = [await w.user(10_000), await w.user(), await w.user(), await w.user()];
    const dispatcher = w.app.get(OutboxDispatcher);
    const held = jest.spyOn(dispatcher, 'dispatch').mockImplementation(() => undefined);
    const ab1 = (await send(a, b, 1)).id; // fails: its chat waits
    const ab2 = (await send(a, b, 2)).id; // same chat, after it: must not overtake
    const ac = (await send(a, c, 3)).id; // rejected by the consumer
    const ad = (await send(a, d, 4)).id; // applied
    held.mockRestore();
    messages.state.outcome = (e) =>
      e.aggregateId === ab1 ? 'failed' : e.aggregateId === ac ? 'rejected' : 'applied';
    expect(await relayNow()).toBe(1);
    expect(applied(ad)).toHaveLength(1);
    expect([applied(ab1), applied(ab2), applied(ac)].map((x) => x.length)).toEqual([0, 0, 0]);

    const rows = (await w.db.query(
      'SELECT aggregate_id, attempts, last_error, delivered_at IS NOT NULL AS done FROM outbox WHERE aggregate_id IN (?, ?, ?, ?)',
      [ab1, ab2, ac, ad],
    )) as unknown as [{ aggregate_id: string; attempts: number; last_error: string | null; done: number }[]];
    const by = new Map(rows[0].map((r) => [r.aggregate_id, r]));
    expect(by.get(ad)).toMatchObject({ done: 1, attempts: 0 });
    expect(by.get(ab1)).toMatchObject({ done: 0, attempts: 1 });
    expect(by.get(ab2)?.done).toBe(0);
    expect(by.get(ac)).toMatchObject({ done: 0, attempts: 1 });
    expect(by.get(ac)?.last_error).toContain('rejected');

    // A rejected event holds up nothing: the next one of its chat leaves at once.
    messages.state.outcome = (e) => (e.aggregateId === ab1 ? 'failed' : 'applied');
    const ac2 = (await send(a, c, 5)).id;
    await until(() => applied(ac2).length === 1);
    // …and is marked delivered (on a loaded machine that write may trail the consumer's answer).
    await until(async () => (await undelivered([ac2])) === 0);

    messages.state.outcome = () => 'applied';
    const before = messages.state.events.length;
    expect(await relayNow()).toBe(3);
    const next = messages.state.events.slice(before).map((e) => e.aggregateId);
    expect(next.filter((id) => id === ab1 || id === ab2)).toEqual([ab1, ab2]);
    expect(applied(ad)).toHaveLength(1); // the applied one was not sent again
  });

  it('lets concurrent relays (two replicas) share the work without delivering an event twice', async () => {
    const [a, b] = [await w.user(10_000), await w.user()];
    const dispatcher = w.app.get(OutboxDispatcher);
    const held = jest.spyOn(dispatcher, 'dispatch').mockImplementation(() => undefined);
    const sent: string[] = [];
    for (let i = 0; i < 20; i++) sent.push((await send(a, b, 1)).id);
    held.mockRestore();
    await w.db.query('UPDATE outbox SET available_at = CURRENT_TIMESTAMP(3) WHERE delivered_at IS NULL');
    const concurrent = await Promise.all([relay.runOnce(), relay.runOnce(), relay.runOnce()]);
    // A relay that finds a chat's older events locked by another holds the newer ones back: they go
    // on its next tick (per-chat order), so the ticks that follow pick up what was held.
    let delivered = concurrent.reduce((x, y) => x + y, 0);
    for (let tick = 0; tick < 5 && delivered < 20; tick++) delivered += await relay.runOnce();
    expect(delivered).toBe(20);
    expect(sent.every((id) => applied(id).length === 1)).toBe(true);
  });

  it("delivers a crashed relay's claimed events from another relay after one short lease", async () => {
    const [a, b] = [await w.user(1_000), await w.user()];
    const sent = await sendForRelay([
      [a, b],
      [a, b],
      [a, b],
    ]);
    // This relay claims them, then dies: it never delivers, renews or records anything.
    const dead = jest
      .spyOn(w.app.get(OutboxDelivery), 'deliver')
      .mockImplementationOnce(() => new Promise(() => undefined));
    void relay.runOnce();
    await until(() => dead.mock.calls.length === 1);
    dead.mockRestore();
    const claimedAt = Date.now();
    expect(await relay.runOnce()).toBe(0); // still the dead relay's
    await until(async () => (await relay.runOnce()) > 0, 10_000);
    const waited = Date.now() - claimedAt;
    expect(waited).toBeGreaterThan(RELAY_LEASE_MS / 2);
    expect(waited).toBeLessThan(RELAY_LEASE_MS + 3_000); // one lease, not the 30 s of old
    expect(await undelivered(sent)).toBe(0);
    expect(orderOf(sent)).toEqual(sent);
  });

  it('keeps a slow delivery’s events leased to it while in flight: another relay takes none of them', async () => {
    const [a, b] = [await w.user(1_000), await w.user()];
    const sent = await sendForRelay([
      [a, b],
      [b, a],
      [a, b],
    ]);
    messages.state.delayMs = 2 * RELAY_LEASE_MS;
    const slow = relay.runOnce();
    await new Promise((r) => setTimeout(r, 1.5 * RELAY_LEASE_MS)); // past the first lease
    expect(await relay.runOnce()).toBe(0);
    expect(await slow).toBe(3);
    expect(sent.map((id) => applied(id).length)).toEqual([1, 1, 1]);
  });

  it('claims nothing of a chat behind an older event another relay is claiming at this instant', async () => {
    const [a, b, c] = [await w.user(1_000), await w.user(), await w.user()];
    const [ab1, ab2, ac] = await sendForRelay([
      [a, b],
      [b, a],
      [a, c],
    ]);
    // Another relay's claim, caught between its SELECT … FOR UPDATE and its lease: ab1 is locked, still due.
    const [[{ id }]] = (await w.db.query('SELECT id FROM outbox WHERE aggregate_id = ?', [
      ab1,
    ])) as unknown as [[{ id: string }]];
    await w.db.beginTransaction();
    await w.db.query('SELECT id FROM outbox WHERE id = ? FOR UPDATE', [id]); // that row only
    try {
      expect(await relay.runOnce()).toBe(1);
      expect(orderOf([ab1, ab2, ac])).toEqual([ac]);
    } finally {
      await w.db.rollback();
    }
    expect(await relay.runOnce()).toBe(2);
    expect(orderOf([ab1, ab2, ac])).toEqual([ac, ab1, ab2]);
  });

  it('holds a failed chat back as a whole: one backoff for its events, from its most-tried one', async () => {
    const [a, b] = [await w.user(1_000), await w.user()];
    const [ab1, ab2, ab3] = await sendForRelay([
      [a, b],
      [a, b],
      [b, a],
    ]);
    await w.db.query('UPDATE outbox SET attempts = 3 WHERE aggregate_id = ?', [ab1]);
    messages.state.outcome = (e) => (e.aggregateId === ab1 ? 'failed' : 'applied');
    expect(await relay.runOnce()).toBe(0);
    const [rows] = (await w.db.query(
      `SELECT attempts, TIMESTAMPDIFF(MICROSECOND, CURRENT_TIMESTAMP(3), available_at) / 1e6 AS wait
       FROM outbox WHERE aggregate_id IN (?, ?, ?) ORDER BY id`,
      [ab1, ab2, ab3],
    )) as unknown as [{ attempts: number; wait: string }[]];
    expect(rows.map((r) => r.attempts)).toEqual([4, 1, 1]);
    const waits = rows.map((r) => Number(r.wait));
    expect(new Set(waits).size).toBe(1); // they become due together, in order behind ab1
    expect(waits[0]).toBeGreaterThan(4); // 2^3 s from ab1's attempts, not 1 s from the others'
    messages.state.outcome = () => 'applied';
    expect(await relayNow()).toBe(3);
    expect(orderOf([ab1, ab2, ab3])).toEqual([ab1, ab2, ab3]);
  });

  it('sends each event with its own time (the outbox row’s), however late it leaves', async () => {
    const [a, b] = [await w.user(1_000), await w.user()];
    const [t] = await sendForRelay([[a, b]]);
    await new Promise((r) => setTimeout(r, 300));
    // The relay's round may meet a loaded machine (a delivery cut short is retried after its backoff):
    // what matters here is the time the event carries when it does leave, not which round sent it.
    const relayed = async () => {
      await relay.runOnce();
      return applied(t).length === 1;
    };
    await until(relayed, 15_000);
    const [[row]] = (await w.db.query('SELECT created_at FROM outbox WHERE aggregate_id = ?', [
      t,
    ])) as unknown as [[{ created_at: Date }]];
    const [event] = applied(t);
    expect(event.occurredAt).toBe(row.created_at.toISOString());
    const created = Date.parse((event.payload as { createdAt: string }).createdAt);
    expect(Math.abs(Date.parse(event.occurredAt!) - created)).toBeLessThan(1_000);
  });
  describe('what an operator sees of it', () => {
    const value = (name: string, labels: Record<string, string> = {}) =>
      w.app.get(Metrics).valueOf(name, labels);
    /** A histogram's observations so far (its +Inf bucket). */
    const observed = (name: string, path: 'fast' | 'relay') => value(name, { path, le: '+Inf' });
    const originOf = async (aggregateId: string) => {
      const [[row]] = (await w.db.query(
        'SELECT trace_context, request_id FROM outbox WHERE aggregate_id = ?',
        [aggregateId],
      )) as unknown as [[{ trace_context: string | null; request_id: string | null }]];
      return row;
    };

    it('keeps on each row the request that wrote it, and the fast path sends its id with the batch', async () => {
      const [a, b] = [await w.user(1_000), await w.user()];
      const lag = await observed('wallet_outbox_delivery_lag_seconds', 'fast');
      const batches = await observed('wallet_outbox_batch_size_events', 'fast');
      const t = await send(a, b, 10);
      await until(async () => (await undelivered([t.id])) === 0);
      expect(t.requestId).toBeTruthy();
      // Jest runs untraced (OpenTelemetry patches nothing here): no trace context to keep.
      expect(await originOf(t.id)).toEqual({ trace_context: null, request_id: t.requestId });
      expect(messages.state.requestIds.at(-1)).toBe(t.requestId);
      // Observed once the outcome is written (the poll above may see the row a moment before).
      await until(async () => (await observed('wallet_outbox_delivery_lag_seconds', 'fast')) === lag + 1);
      expect(await observed('wallet_outbox_batch_size_events', 'fast')).toBe(batches + 1);
    });

    it('the relay sends, with each batch, the id of the request that wrote its first event', async () => {
      const [a, b] = [await w.user(1_000), await w.user()];
      const held = jest.spyOn(w.app.get(OutboxDispatcher), 'dispatch').mockImplementation(() => undefined);
      const first = await send(a, b, 1);
      const second = await send(a, b, 2);
      held.mockRestore();
      expect(first.requestId).not.toBe(second.requestId);
      expect(await relayNow()).toBe(2);
      expect(messages.state.requestIds.at(-1)).toBe(first.requestId);
      expect(await originOf(second.id)).toMatchObject({ request_id: second.requestId });
    });

    it('reports the backlog and its oldest event’s age until the relay delivers them, then 0', async () => {
      await relayNow(); // what earlier tests left behind
      expect(await value('wallet_outbox_backlog_events')).toBe(0);
      expect(await value('wallet_outbox_oldest_undelivered_age_seconds')).toBe(0);
      const [a, b, c] = [await w.user(1_000), await w.user(), await w.user()];
      const lag = await observed('wallet_outbox_delivery_lag_seconds', 'relay');
      const batches = await observed('wallet_outbox_batch_size_events', 'relay');
      await sendForRelay([
        [a, b],
        [a, c],
        [a, b],
      ]);
      await new Promise((r) => setTimeout(r, 50));
      expect(await value('wallet_outbox_backlog_events')).toBe(3);
      expect(await value('wallet_outbox_oldest_undelivered_age_seconds')).toBeGreaterThan(0);
      expect(await relay.runOnce()).toBe(3);
      expect(await value('wallet_outbox_backlog_events')).toBe(0);
      expect(await value('wallet_outbox_oldest_undelivered_age_seconds')).toBe(0);
      expect(await observed('wallet_outbox_delivery_lag_seconds', 'relay')).toBe(lag + 3);
      expect(await observed('wallet_outbox_batch_size_events', 'relay')).toBe(batches + 2); // two chats, two lanes
    });

    it('counts the events the consumer rejects, by topic; they wait outside the backlog', async () => {
      const [a, b] = [await w.user(1_000), await w.user()];
      const rejected = () => value('wallet_outbox_rejected_events_total', { topic: 'transfer.created' });
      const before = await rejected();
      messages.state.outcome = () => 'rejected';
      const t = await send(a, b, 1);
      await until(async () => (await rejected()) === before + 1);
      expect(await undelivered([t.id])).toBe(1);
      expect(await value('wallet_outbox_backlog_events')).toBe(0);
    });
  });
});
