import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { decodeJwt } from 'jose';
import { loadConfig } from '@paychat/config';
import { Metrics } from '@paychat/telemetry';
import { callJson, createTestUser, listenOnFreePort } from '@paychat/testing';
import { buildGateway } from '../build-gateway';
import { GatewayEnv } from '../gateway.env';
import { stubUpstream } from '../testing/stub-upstream';

/** Polls `status` until it is `expected` (pub/sub between instances is asynchronous), for up to 3 s. */
async function eventually(status: () => Promise<number>, expected: number): Promise<number> {
  const until = Date.now() + 3_000;
  let last = await status();
  while (last !== expected && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    last = await status();
  }
  return last;
}

describe('logout: the access tokens of the session are refused on every gateway (shared Redis)', () => {
  const upstream = stubUpstream();
  const apps: NestFastifyApplication[] = [];
  let one: string;
  let two: string;

  beforeAll(async () => {
    const url = await upstream.start();
    const gateway = async () => {
      const env = { ...process.env, WALLET_URL: url, MESSAGES_URL: url, LEGACY_URL: url };
      const app = await buildGateway(loadConfig(GatewayEnv, env));
      apps.push(app);
      return listenOnFreePort(app);
    };
    [one, two] = [await gateway(), await gateway()];
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await upstream.stop();
  });

  const me = async (gateway: string, token: string) =>
    (await callJson(gateway, 'GET', '/v2/me', { token })).status;
  const login = async ({ email, password }: { email: string; password: string }) =>
    (await callJson(one, 'POST', '/v2/auth/login', { body: { email, password } })).body;

  it('refuses the logged-out token here at once and on the other instance within seconds; other sessions live', async () => {
    const user = await createTestUser();
    const [session, other] = [await login(user), await login(user)];
    const refreshed = (
      await callJson(one, 'POST', '/v2/auth/refresh', {
        body: { refreshToken: session.refreshToken },
      })
    ).body;
    // Tokens of one login share its origin_jti, refreshed ones too (cognito-local as Cognito).
    expect(decodeJwt(refreshed.accessToken as string).origin_jti).toBe(
      decodeJwt(session.accessToken as string).origin_jti,
    );
    for (const gateway of [one, two]) expect(await me(gateway, session.accessToken as string)).toBe(200);

    const logout = await callJson(one, 'POST', '/v2/auth/logout', {
      body: { refreshToken: session.refreshToken },
    });
    expect(logout.status).toBe(204);

    const refused = await callJson(one, 'GET', '/v2/me', { token: session.accessToken as string });
    expect([refused.status, refused.body.code]).toEqual([401, 'unauthorized']);
    const revoked = apps[0].get(Metrics).valueOf('auth_token_rejections_total', { reason: 'revoked' });
    expect(await revoked).toBe(1);
    expect(await eventually(() => me(two, session.accessToken as string), 401)).toBe(401);
    expect(await me(two, refreshed.accessToken as string)).toBe(401);
    for (const gateway of [one, two]) expect(await me(gateway, other.accessToken as string)).toBe(200);
  });

  it('answers an already revoked refresh token with 401 invalid_credentials', async () => {
    const session = await login(await createTestUser());
    const body = { refreshToken: session.refreshToken };
    expect((await callJson(one, 'POST', '/v2/auth/logout', { body })).status).toBe(204);
    const again = await callJson(one, 'POST', '/v2/auth/logout', { body });
    expect([again.status, again.body.code]).toEqual([401, 'invalid_credentials']);
  });
});
