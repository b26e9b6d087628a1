import { randomUUID } from 'node:crypto';
import { createServer, Socket } from 'node:net';
import { callJson, freePort, mintAccessToken } from '@paychat/testing';
import { DEFAULT_RATE_LIMITS } from '../../apps/gateway/src/edge/rate-limits.config';
import { gatewaysUnderTest } from '../../apps/gateway/src/testing/gateways-under-test';
import { MessagesHarness } from '../harness/messages-harness';

const REQUESTS = 50;

/** A TCP server that accepts and never answers: a Redis whose host is up but whose process hangs. */
function blackHole() {
  const sockets = new Set<Socket>();
  const server = createServer((s) => sockets.add(s.on('close', () => sockets.delete(s))));
  return {
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`redis://127.0.0.1:${(server.address() as { port: number }).port}`),
        ),
      ),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Redis unreachable or hanging: requests as fast as without it, limits open, readiness up and telling. */
describe('Redis down', () => {
  const gateways = gatewaysUnderTest();
  const hole = blackHole();
  let deadUrl: string;
  beforeAll(async () => {
    deadUrl = `redis://127.0.0.1:${await freePort()}`;
  });
  afterAll(async () => {
    await gateways.stop();
    await hole.stop();
  });

  async function medianMs(url: string, token: string): Promise<number> {
    const times = [];
    for (let i = 0; i < REQUESTS; i++) {
      const started = performance.now();
      const res = await callJson(url, 'GET', '/v2/wallet', { token });
      times.push(performance.now() - started);
      expect(res.status).toBe(200);
    }
    return median(times);
  }

  it.each([
    ['refusing connections', () => Promise.resolve(deadUrl)],
    ['accepting and never answering', () => hole.start()],
  ])('%s: gateway requests take no longer than without Redis, and readiness says so', async (_, redisUrl) => {
    const token = await mintAccessToken({ claims: { sub: randomUUID() } });
    const without = await gateways.start({ REDIS_URL: '' });
    const down = await gateways.start({ REDIS_URL: await redisUrl() });
    await medianMs(without, token); // warm-up: token keys, upstream connections
    const [baseline, degraded] = [await medianMs(without, token), await medianMs(down, token)];
    expect(degraded - baseline).toBeLessThan(50);

    const ready = await callJson(down, 'GET', '/health/ready');
    expect([ready.status, ready.body.checks]).toEqual([200, expect.objectContaining({ redis: 'degraded' })]);
  });

  it('fails the limits open: nothing is counted while the store is down', async () => {
    const tight = { ...DEFAULT_RATE_LIMITS, default: { perIp: 1, perUser: 1 } };
    const url = await gateways.start({ REDIS_URL: deadUrl, RATE_LIMITS: JSON.stringify(tight) });
    const token = await mintAccessToken({ claims: { sub: randomUUID() } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await callJson(url, 'GET', '/v2/wallet', { token })).status);
    expect(statuses).toEqual([200, 200, 200]);
  });

  it('a long-poll on one messages instance still gets a message sent on another (periodic re-read)', async () => {
    const env = { REDIS_URL: deadUrl, LONG_POLL_RECHECK_MS: '500' };
    const a = await MessagesHarness.start(env);
    const b = await a.another(env);
    try {
      const [alice, bob] = await Promise.all([a.user(), a.user()]);
      const conv = await a.conversation(alice, [bob]);
      const first = await a.send(alice, conv, 'first', randomUUID());
      const started = Date.now();
      const poll = b.call('GET', `/v2/conversations/${conv}/messages?after=${first.body.id}&waitSeconds=20`, {
        token: bob.token,
      });
      await new Promise((r) => setTimeout(r, 300));
      await a.send(alice, conv, 'across instances', randomUUID());
      const res = await poll;
      expect(res.body.items.map((i: { text: string }) => i.text)).toEqual(['across instances']);
      expect(Date.now() - started).toBeLessThan(5_000); // the poll's deadline was 20 s away

      const ready = await b.call('GET', '/health/ready');
      expect([ready.status, ready.body.checks.redis]).toEqual([200, 'degraded']);
    } finally {
      await b.stop();
      await a.stop();
    }
  });
});
