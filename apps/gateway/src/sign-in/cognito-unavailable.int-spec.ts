import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { loadConfig } from '@paychat/config';
import { createTestUser, FaultyLink, TestUser } from '@paychat/testing';
import { buildGateway } from '../build-gateway';
import { GatewayEnv } from '../gateway.env';

/** The auth routes with Cognito (cognito-local) behind a link the test breaks. */
describe('Cognito unreachable: the auth routes answer 503 with Retry-After', () => {
  let link: FaultyLink;
  let app: NestFastifyApplication;
  let user: TestUser;

  beforeAll(async () => {
    link = await FaultyLink.to(Number(new URL(process.env.COGNITO_ENDPOINT!).port));
    const env = { ...process.env, COGNITO_ENDPOINT: `http://127.0.0.1:${link.port}` };
    app = await buildGateway(loadConfig(GatewayEnv, env));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    user = await createTestUser();
  });
  afterAll(async () => {
    await app.close();
    await link.close();
  });

  const post = (path: string, body: object) =>
    request(app.getHttpServer()).post(`/v2/auth/${path}`).send(body);

  it('login and signup: 503 service_unavailable while Cognito refuses connections; login works again once it is back', async () => {
    await link.refuse();
    for (const res of [
      await post('login', { email: user.email, password: user.password }),
      await post('signup', { email: `x-${user.email}`, password: user.password, displayName: 'X' }),
    ]) {
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('service_unavailable');
      expect(res.headers['retry-after']).toBe('2');
    }
    await link.restore();
    expect((await post('login', { email: user.email, password: user.password })).status).toBe(200);
  });

  it('login: 503 within seconds, not a hang, while Cognito takes connections and never answers', async () => {
    link.hang();
    const started = Date.now();
    const res = await post('login', { email: user.email, password: user.password });
    expect([res.status, res.body.code, res.headers['retry-after']]).toEqual([
      503,
      'service_unavailable',
      '2',
    ]);
    expect(Date.now() - started).toBeLessThan(15_000); // two attempts of at most 3 s each, plus margin
    await link.restore();
  });
});
