import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@paychat/config';
import { callJson, listenOnFreePort, mintAccessToken } from '@paychat/testing';
import { buildGateway } from '../build-gateway';
import { GatewayEnv } from '../gateway.env';
import { stubUpstream } from '../testing/stub-upstream';

const PROBE_MS = 200;

/** A wallet instance that says who it is; its readiness is `health.ready`. */
const instance = (name: string) =>
  stubUpstream((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name })),
  );
type Instance = ReturnType<typeof instance>;

const token = mintAccessToken();

/** A gateway over these instances, once each has answered through it. */
async function gatewayOver(stubs: Instance[], probeIntervalMs = PROBE_MS) {
  const urls = await Promise.all(stubs.map((s) => s.start()));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WALLET_URL: urls.join(','),
    UPSTREAM_PROBE_INTERVAL_MS: String(probeIntervalMs),
    UPSTREAM_PROBE_TIMEOUT_MS: String(PROBE_MS),
  };
  // Rate limits in memory: these thousands of POSTs must not fill 127.0.0.1's shared counters in Redis.
  delete env.REDIS_URL;
  const gateway = await buildGateway(loadConfig(GatewayEnv, env));
  const url = await listenOnFreePort(gateway);
  const inRotation = new Set<string>();
  while (inRotation.size < stubs.length)
    inRotation.add(
      (await callJson<{ name: string }>(url, 'GET', '/v2/wallet', { token: await token })).body.name,
    );
  return { gateway, url, ports: urls.map((u) => Number(new URL(u).port)) };
}

describe('routing follows each address’s /health/ready', () => {
  let gateway: NestFastifyApplication | undefined;
  let a: Instance;
  let b: Instance;
  beforeEach(() => {
    a = instance('a');
    b = instance('b');
  });
  afterEach(async () => {
    await gateway?.close();
    await Promise.all([a.stop(), b.stop()]);
  });

  const names = async (url: string, n: number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const res = await callJson<{ name: string }>(url, 'GET', '/v2/wallet', { token: await token });
      expect(res.status).toBe(200);
      out.push(res.body.name);
    }
    return out;
  };

  it('drains an instance that fails readiness while it still answers, and takes it back at its next good probe', async () => {
    const started = await gatewayOver([a, b]);
    gateway = started.gateway;
    expect(new Set(await names(started.url, 6))).toEqual(new Set(['a', 'b']));

    a.health.ready = false;
    const flipped = Date.now();
    await a.probed();
    const drainedInMs = Date.now() - flipped;
    const reachedA = a.seen.length;
    expect(new Set(await names(started.url, 10))).toEqual(new Set(['b']));
    expect(a.seen.length).toBe(reachedA);
    expect(drainedInMs).toBeLessThan(5_000); // ~2 intervals of 200 ms; the bound only rules out a hang

    a.health.ready = true;
    const back = Date.now();
    await a.probed();
    expect(new Set(await names(started.url, 6))).toEqual(new Set(['a', 'b']));
    expect(Date.now() - back).toBeLessThan(5_000); // at its next probe, not after a fixed 10 s
  });

  it('drains an instance whose readiness does not answer within the probe timeout', async () => {
    const started = await gatewayOver([a, b]);
    gateway = started.gateway;
    a.health.silent = true;
    await a.probed();
    const reachedA = a.seen.length;
    expect(new Set(await names(started.url, 6))).toEqual(new Set(['b']));
    expect(a.seen.length).toBe(reachedA);
  });

  it('still tries every address when none is ready, and shows the service as degraded without failing readiness', async () => {
    const started = await gatewayOver([a, b]);
    gateway = started.gateway;
    a.health.ready = false;
    b.health.ready = false;
    await Promise.all([a.probed(), b.probed()]);
    expect(new Set(await names(started.url, 6))).toEqual(new Set(['a', 'b']));
    const ready = await callJson(started.url, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toMatchObject({ wallet: 'degraded', upstreams: 'up' });
  });

  it('sends a write whose connection was refused to the other instance', async () => {
    // Probes far apart: the refusal is met by the requests, not by a probe first.
    const started = await gatewayOver([a, b], 60_000);
    gateway = started.gateway;
    await b.stop();
    for (let i = 0; i < 4; i++) {
      const res = await callJson<{ name: string }>(started.url, 'POST', '/v2/wallet/transfers', {
        token: await token,
        headers: { 'idempotency-key': randomUUID() },
        body: { amount: 100 },
      });
      expect([res.status, res.body.name]).toEqual([200, 'a']);
    }
    expect(a.seen.filter((r) => r.method === 'POST')).toHaveLength(4);
  });

  it('sends a request again to its only address after a short pause, so a restart’s blip passes', async () => {
    const started = await gatewayOver([a], 60_000);
    gateway = started.gateway;
    await a.stop();
    const answer = callJson<{ name: string }>(started.url, 'GET', '/v2/wallet', { token: await token });
    await new Promise((r) => setTimeout(r, 20));
    await a.start(started.ports[0]);
    expect((await answer).status).toBe(200);
  });

  it('loses no request, writes included, across a rolling restart of both instances', async () => {
    const started = await gatewayOver([a, b]);
    gateway = started.gateway;
    const statuses = new Map<number, number>();
    let running = true;
    const client = async () => {
      while (running) {
        const res = await callJson(started.url, 'POST', '/v2/wallet/transfers', {
          token: await token,
          headers: { 'idempotency-key': randomUUID() },
          body: { amount: 1 },
        });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    };
    const clients = Array.from({ length: 4 }, client);
    for (const [stub, port] of [
      [a, started.ports[0]],
      [b, started.ports[1]],
    ] as const) {
      stub.health.ready = false; // SIGTERM: readiness fails, the listener keeps serving a while
      await stub.probed();
      await new Promise((r) => setTimeout(r, 2 * PROBE_MS));
      await stub.stop();
      await stub.start(port);
      stub.health.ready = true;
      await stub.probed(); // back in rotation
    }
    running = false;
    await Promise.all(clients);
    expect(Object.fromEntries(statuses)).toEqual({ 200: expect.any(Number) });
  });
});
