import { callJson, mintAccessToken, stubServer } from '@paychat/testing';
import type { Metrics } from '@paychat/telemetry';
import { gatewaysUnderTest } from '../testing/gateways-under-test';

/** How many calls the gateway timed with these labels (the +Inf bucket holds every one). */
const timedCalls = (metrics: Metrics, labels: Record<string, string>) =>
  metrics.valueOf('gateway_upstream_request_duration_seconds', { ...labels, le: '+Inf' });

/** The gateway's view of its upstreams, as metrics: each call timed by status, and readiness. */
describe('upstream metrics', () => {
  const gateways = gatewaysUnderTest((req, res) => {
    const status = req.url.startsWith('/v2/wallet/missing') ? 404 : 200;
    res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
  });
  afterAll(() => gateways.stop());

  it('times each call by upstream and status', async () => {
    const url = await gateways.start();
    const token = await mintAccessToken();
    for (const path of ['/v2/wallet', '/v2/wallet/missing', '/v2/devices'])
      await callJson(url, 'GET', path, { token });
    const calls = (upstream: string, status_code: string) =>
      timedCalls(gateways.metrics(url), { upstream, status_code });
    expect([
      await calls('wallet', '200'),
      await calls('wallet', '404'),
      await calls('messages', '200'),
    ]).toEqual([1, 1, 1]);
  });

  it('times an attempt that got no answer as `error`: the first and each retry', async () => {
    const gone = stubServer(() => undefined);
    const goneUrl = await gone.start();
    await gone.stop();
    const url = await gateways.start({ LEGACY_URL: goneUrl });
    const res = await callJson(url, 'GET', '/v1/status');
    expect(res.status).toBe(503);
    const errors = await timedCalls(gateways.metrics(url), { upstream: 'legacy', status_code: 'error' });
    expect(errors).toBe(3); // a refused connection is tried twice more
  });

  it('shows each upstream ready (1) while an address of it answers its probe, 0 when none does', async () => {
    const url = await gateways.start({ UPSTREAM_PROBE_INTERVAL_MS: '100' });
    const ready = () =>
      Promise.all(
        ['wallet', 'messages', 'legacy'].map((upstream) =>
          gateways.metrics(url).valueOf('gateway_upstream_ready', { upstream }),
        ),
      );
    /** What the gauges show once they show `want`, or after 3 s (probes come in the background). */
    const readyOnce = async (want: number[]) => {
      for (const until = Date.now() + 3_000; ; await new Promise((r) => setTimeout(r, 20))) {
        const seen = await ready();
        if (seen.join() === want.join() || Date.now() > until) return seen;
      }
    };
    expect(await readyOnce([1, 1, 1])).toEqual([1, 1, 1]);
    gateways.upstream.health.ready = false;
    try {
      expect(await readyOnce([0, 0, 0])).toEqual([0, 0, 0]);
    } finally {
      gateways.upstream.health.ready = true;
    }
  });
});
