import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { loadConfig } from '@paychat/config';
import { createTestUser, TestUser } from '@paychat/testing';
import { FaultyLink } from '../../../wallet/src/db/faulty-link.testing';
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
});
