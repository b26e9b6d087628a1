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

describe('retries: never a POST without an Idempotency-Key', () => {
  it('sends an idempotent POST again after a dropped connection, but not a plain one', async () => {
    let drops = 0;
    const flaky = stubUpstream((req, res) => {
      if (drops++ % 2 === 0) return res.socket?.destroy(); // every other request: connection dropped
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ body: req.body }));
    });
    const walletUrl = await flaky.start();
    const gateway = await buildGateway(loadConfig(GatewayEnv, { ...process.env, WALLET_URL: walletUrl }));
    const url = await listenOnFreePort(gateway);
    try {
      const token = await mintAccessToken();
      const post = (headers: Record<string, string>) =>
        callJson(url, 'POST', '/v2/wallet/transfers', { token, headers, body: { amount: 100 } });

      const keyed = await post({ 'idempotency-key': randomUUID() });
      expect(keyed.status).toBe(201);
      expect(JSON.parse(String(keyed.body.body))).toEqual({ amount: 100 }); // the body went again, intact
      expect(flaky.seen).toHaveLength(2);

      const plain = await post({});
      expect([plain.status, plain.body.code]).toEqual([503, 'upstream_unavailable']);
      expect(flaky.seen).toHaveLength(3);
    } finally {
      await gateway.close();
      await flaky.stop();
    }
  });
});
