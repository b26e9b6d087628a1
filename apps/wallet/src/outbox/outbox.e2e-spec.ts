import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSecrets, verifyRequest } from '@paychat/signing';
import { WalletHarness } from '../testing/wallet-harness';
import { OutboxRelay } from './outbox.relay';

/** A stand-in for the messages service's internal endpoint: checks the signature, can be made to fail. */
function receiver() {
  const secrets = parseSecrets(process.env.INTERNAL_SECRETS ?? 'wallet:local-wallet-secret-00001');
  const events: { id: string; topic: string; version: number; payload: Record<string, unknown> }[] = [];
  const state = { failing: false, unsigned: 0 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const check = verifyRequest(secrets, req.headers, { method: req.method!, path: req.url!, body });
      if (!check.ok || check.caller !== 'wallet') {
        state.unsigned++;
        return res.writeHead(401).end();
      }
      if (state.failing) return res.writeHead(503).end();
      events.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  return {
    events,
    state,
    start: () =>
      new Promise<string>((r) =>
        server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
      ),
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('transactional outbox and its relay', () => {
  const messages = receiver();
  let w: WalletHarness;

  beforeAll(async () => {
    w = await WalletHarness.start({ MESSAGES_URL: await messages.start() });
    // Earlier test files leave undelivered events behind; start from a clean slate for counting.
    await w.db.query('UPDATE outbox SET delivered_at = CURRENT_TIMESTAMP(3) WHERE delivered_at IS NULL');
  });
  afterAll(async () => {
    await w.stop();
    await messages.stop();
  });

  it('writes a versioned event with every transfer and delivers it, signed, at least once', async () => {
    const a = await w.user(1_000);
    const b = await w.user();
    const t = await w.call('POST', '/v2/wallet/transfers', {
      token: a.token,
      key: randomUUID(),
      body: { toUserId: b.userId, amount: 300, memo: 'tea' },
    });
    const relay = w.app.get(OutboxRelay);

    messages.state.failing = true;
    expect(await relay.runOnce()).toBe(0);
    const [[pending]] = (await w.db.query(
      'SELECT attempts, last_error, available_at > CURRENT_TIMESTAMP(3) AS later FROM outbox WHERE aggregate_id = ?',
      [t.body.id],
    )) as unknown as [[{ attempts: number; last_error: string; later: number }]];
    expect(pending).toMatchObject({ attempts: 1, later: 1 });
    expect(pending.last_error).toContain('503');

    messages.state.failing = false;
    await w.db.query('UPDATE outbox SET available_at = CURRENT_TIMESTAMP(3) WHERE aggregate_id = ?', [
      t.body.id,
    ]);
    expect(await relay.runOnce()).toBe(1);
    expect(await relay.runOnce()).toBe(0);
    expect(messages.state.unsigned).toBe(0);
    expect(messages.events).toEqual([
      expect.objectContaining({
        topic: 'transfer.created',
        version: 1,
        aggregateId: t.body.id,
        payload: expect.objectContaining({
          id: t.body.id,
          fromUserId: a.userId,
          toUserId: b.userId,
          amount: 300,
          memo: 'tea',
        }),
      }),
    ]);
  });

  it('writes no event when the transfer is refused', async () => {
    const a = await w.user(10);
    const b = await w.user();
    const before = await w.count('SELECT COUNT(*) n FROM outbox');
    await w.call('POST', '/v2/wallet/transfers', {
      token: a.token,
      key: randomUUID(),
      body: { toUserId: b.userId, amount: 300 },
    });
    expect(await w.count('SELECT COUNT(*) n FROM outbox')).toBe(before);
  });

  it('lets concurrent relays (two replicas) share the work without delivering an event twice', async () => {
    const a = await w.user(10_000);
    const b = await w.user();
    for (let i = 0; i < 20; i++) {
      await w.call('POST', '/v2/wallet/transfers', {
        token: a.token,
        key: randomUUID(),
        body: { toUserId: b.userId, amount: 1 },
      });
    }
    const before = messages.events.length;
    const relay = w.app.get(OutboxRelay);
    const delivered = await Promise.all([relay.runOnce(), relay.runOnce(), relay.runOnce()]);
    expect(delivered.reduce((x, y) => x + y, 0)).toBe(20);
    const ids = messages.events.slice(before).map((e) => e.id);
    expect(new Set(ids).size).toBe(20);
  });
});
