import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@paychat/config';
import { callJson, freePort, listenOnFreePort, mintAccessToken } from '@paychat/testing';
import { buildGateway } from '../build-gateway';
import { GatewayEnv } from '../gateway.env';
import { stubUpstream } from '../testing/stub-upstream';
import type { Resolver } from './service-registry';

/** Cloud Map, as the gateway sees it: A records for `<service>.paychat.local`, with a TTL. */
function fakeCloudMap(records: Record<string, string[]>) {
  const asked: string[] = [];
  const resolver: Resolver = {
    resolve4: async (host) => {
      asked.push(host);
      return (records[host] ?? []).map((address) => ({ address, ttl: 1 }));
    },
  };
  return { resolver, asked, records };
}

describe('service discovery through Cloud Map DNS (two wallet instances)', () => {
  const instance = (name: string) =>
    stubUpstream((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name })),
    );
  const a = instance('a');
  const b = instance('b');
  let gateway: NestFastifyApplication;
  let url: string;
  let token: string;
  const dns = fakeCloudMap({ 'wallet.paychat.local': ['127.0.0.1', '127.0.0.2'] });

  beforeAll(async () => {
    const port = await freePort();
    await Promise.all([a.start(port, '127.0.0.1'), b.start(port, '127.0.0.2')]);
    dns.records['legacy.paychat.local'] = ['127.0.0.1'];
    dns.records['messages.paychat.local'] = ['127.0.0.1'];
    gateway = await buildGateway(
      loadConfig(GatewayEnv, {
        ...process.env,
        DISCOVERY: 'dns',
        DISCOVERY_NAMESPACE: 'paychat.local',
        DISCOVERY_PORT: String(port),
      }),
      { resolver: dns.resolver },
    );
    url = await listenOnFreePort(gateway);
    token = await mintAccessToken();
  });
  afterAll(async () => {
    await gateway.close();
    await Promise.all([a.stop(), b.stop()]);
  });

  const wallet = () => callJson<{ name: string }>(url, 'GET', '/v2/wallet', { token });

  it('spreads requests over every address the name resolves to, and re-resolves when the TTL runs out', async () => {
    const names: string[] = [];
    for (let i = 0; i < 12; i++) names.push((await wallet()).body.name);
    expect(names.filter((n) => n === 'a').length).toBeGreaterThanOrEqual(4);
    expect(names.filter((n) => n === 'b').length).toBeGreaterThanOrEqual(4);
    const asked = dns.asked.filter((h) => h === 'wallet.paychat.local').length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(dns.asked.filter((h) => h === 'wallet.paychat.local').length).toBeGreaterThan(asked);
  });

  it('probes every resolved address: one failing readiness gets no requests until it is ready again', async () => {
    b.health.ready = false;
    await b.probed();
    const reachedB = b.seen.length;
    for (let i = 0; i < 6; i++) expect((await wallet()).body.name).toBe('a');
    expect(b.seen.length).toBe(reachedB);
    b.health.ready = true;
    await b.probed();
    const names = new Set<string>();
    for (let i = 0; i < 6; i++) names.add((await wallet()).body.name);
    expect(names).toEqual(new Set(['a', 'b']));
  });

  it('keeps answering when one instance dies: the failing address is retried elsewhere, then skipped', async () => {
    await b.stop();
    const statuses: number[] = [];
    const names: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await wallet();
      statuses.push(res.status);
      names.push(res.body.name);
    }
    expect(statuses).toEqual(Array(12).fill(200));
    expect(new Set(names)).toEqual(new Set(['a']));
  });
});

describe('retries: a write only if it was never sent', () => {
  const token = mintAccessToken();

  async function gatewayFor(walletUrls: string[]) {
    const gateway = await buildGateway(
      loadConfig(GatewayEnv, { ...process.env, WALLET_URL: walletUrls.join(',') }),
    );
    return { gateway, url: await listenOnFreePort(gateway) };
  }
  const post = async (url: string) =>
    callJson(url, 'POST', '/v2/wallet/transfers', {
      token: await token,
      headers: { 'idempotency-key': randomUUID() },
      body: { amount: 100 },
    });

  it('does not send a write again after its connection broke upstream (it may have committed), even with an Idempotency-Key', async () => {
    // Reads the whole request, then drops the connection instead of answering: a crash after the commit.
    const dropping = stubUpstream((_req, res) => res.socket?.destroy());
    const { gateway, url } = await gatewayFor([await dropping.start()]);
    try {
      const res = await post(url);
      expect([res.status, res.body.code]).toEqual([503, 'upstream_unavailable']);
      expect(dropping.seen).toHaveLength(1);
      const read = await callJson(url, 'GET', '/v2/wallet', { token: await token });
      expect(read.status).toBe(503);
      expect(dropping.seen).toHaveLength(4); // a safe request is tried on (3 attempts)
    } finally {
      await gateway.close();
      await dropping.stop();
    }
  });

  it('sends a write that could not connect to the next instance, body intact', async () => {
    const live = stubUpstream((req, res) =>
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ body: req.body })),
    );
    const dead = `http://127.0.0.1:${await freePort()}`; // nothing listens there
    const { gateway, url } = await gatewayFor([dead, await live.start()]);
    try {
      for (let i = 0; i < 4; i++) {
        const res = await post(url);
        expect(res.status).toBe(201);
        expect(JSON.parse(String(res.body.body))).toEqual({ amount: 100 });
      }
      expect(live.seen).toHaveLength(4);
    } finally {
      await gateway.close();
      await live.stop();
    }
  });
});
