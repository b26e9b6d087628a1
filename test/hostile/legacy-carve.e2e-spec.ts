import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@paychat/config';
import { callJson, listenOnFreePort } from '@paychat/testing';
import { buildGateway } from '../../apps/gateway/src/build-gateway';
import { GatewayEnv } from '../../apps/gateway/src/gateway.env';
import { CARVE_BALANCE } from '../../apps/gateway/src/testing/carved-routes';
import { rawRequest } from '../../apps/gateway/src/testing/hostile-client';
import { stubUpstream } from '../../apps/gateway/src/testing/stub-upstream';

/**
 * The carved `GET /v1/balance` is signed by the gateway: a caller with a legacy session must not
 * bend that signature to another method, a path below it (`..` included) or a query of their own.
 */
describe('hostile clients: the carved legacy route signs only the carved call', () => {
  const legacy = stubUpstream((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":7}'),
  );
  const wallet = stubUpstream();
  let gateway: NestFastifyApplication;
  let url: string;
  const session = { authorization: 'Session abcdefghijklmnop' };

  beforeAll(async () => {
    gateway = await buildGateway(
      loadConfig(GatewayEnv, {
        ...process.env,
        LEGACY_URL: await legacy.start(),
        WALLET_URL: await wallet.start(),
        GATEWAY_ROUTES: CARVE_BALANCE,
      }),
    );
    url = await listenOnFreePort(gateway);
  });
  afterAll(async () => {
    await gateway.close();
    await Promise.all([legacy.stop(), wallet.stop()]);
  });

  it('signs the carved call itself', async () => {
    const res = await callJson(url, 'GET', '/v1/balance', { headers: session });
    expect(res.status).toBe(200);
    expect(wallet.seen.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /internal/legacy/users/7/balance']);
  });

  it.each([
    ['POST', '/v1/balance', 405],
    ['DELETE', '/v1/balance', 405],
    ['GET', '/v1/balance/extra', 404],
    ['GET', '/v1/balance/', 404],
    ['GET', '/v1/balance?userId=1', 400],
  ])('refuses %s %s (%i) without calling the wallet', async (method, path, status) => {
    wallet.seen.length = 0;
    const res = await callJson(url, method, path, { headers: session });
    expect(res.status).toBe(status);
    expect(wallet.seen).toEqual([]);
  });

  it('tells the caller the one method allowed', async () => {
    const res = await callJson(url, 'PUT', '/v1/balance', { headers: session, body: {} });
    expect([res.status, res.body.code, res.headers.get('allow')]).toEqual([405, 'method_not_allowed', 'GET']);
  });

  it.each(['/v1/balance/..', '/v1/balance/../../users/8/balance', '/v1/balance/%2e%2e'])(
    'refuses %s, whichever layer sees the dot segment first, without calling the wallet',
    async (path) => {
      wallet.seen.length = 0;
      const res = await rawRequest(url, 'GET', path, session);
      expect([400, 404]).toContain(res.status);
      expect(wallet.seen).toEqual([]);
    },
  );
});
