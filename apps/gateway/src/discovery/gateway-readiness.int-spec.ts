import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@paychat/config';
import { callJson, freePort, listenOnFreePort } from '@paychat/testing';
import { buildGateway } from '../build-gateway';
import { GatewayEnv } from '../gateway.env';
import { stubUpstream } from '../testing/stub-upstream';
import { ServiceRegistry } from './service-registry';

const PROBE_MS = 100;
/** Far above a healthy answer's time even on a loaded machine: only the silent instance times out. */
const PROBE_TIMEOUT_MS = 1000;

/**
 * The gateway's readiness is what the load balancer keeps it by. What only degrades it (Redis: rate
 * limits fail open; a service none of whose instances is ready: that service's routes answer 503)
 * is listed with why, and the gateway stays ready: every gateway sees the same outage, and failing
 * them all would leave the balancer nowhere to send the routes that still work (sign-in, `/v1`).
 */
describe('gateway readiness: its upstreams and Redis, each with why it is not up', () => {
  const wallet = stubUpstream();
  const others = stubUpstream();
  const urls: string[] = [];
  beforeAll(async () => {
    urls.push(await wallet.start(), await others.start());
  });
  afterAll(() => Promise.all([wallet.stop(), others.stop()]));

  const env = (more: NodeJS.ProcessEnv) =>
    loadConfig(GatewayEnv, {
      ...process.env,
      WALLET_URL: urls[0],
      MESSAGES_URL: urls[1],
      LEGACY_URL: urls[1],
      UPSTREAM_PROBE_INTERVAL_MS: String(PROBE_MS),
      UPSTREAM_PROBE_TIMEOUT_MS: String(PROBE_TIMEOUT_MS),
      ...more,
    });

  it('stays ready with Redis down, listing it as degraded with the reason, never its URL', async () => {
    const gateway: NestFastifyApplication = await buildGateway(
      env({ REDIS_URL: `redis://:hunter2@127.0.0.1:${await freePort()}` }),
    );
    try {
      const ready = await callJson(await listenOnFreePort(gateway), 'GET', '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({
        checks: { redis: 'degraded', upstreams: 'up' },
        error: { redis: { status: 'down', message: expect.stringContaining('ECONNREFUSED') } },
      });
      expect(JSON.stringify(ready.body)).not.toContain('hunter2');
    } finally {
      await gateway.close();
    }
  });

  it('says why a service has no ready address: its instances’ last answers', async () => {
    const registry = new ServiceRegistry(env({}));
    await registry.start();
    try {
      await wallet.probed();
      expect(registry.state('wallet')).toEqual({ up: true });
      wallet.health.ready = false;
      await wallet.probed();
      expect(registry.state('wallet')).toEqual({ up: false, reason: 'no ready address: status 503' });
      wallet.health.silent = true;
      await wallet.probed();
      expect(registry.state('wallet')).toEqual({ up: false, reason: 'no ready address: TimeoutError' });
    } finally {
      wallet.health.ready = true;
      wallet.health.silent = false;
      await registry.close();
    }
  });
});
