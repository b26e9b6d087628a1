import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { TokenVerifier } from '@paychat/auth';
import { loadConfig } from '@paychat/config';
import { buildGateway } from '../build-gateway';
import { GatewayEnv } from '../gateway.env';

describe('auth endpoints (gateway → cognito-local)', () => {
  let app: NestFastifyApplication;
  const email = `signup-${randomUUID()}@test.paychat.local`;
  const password = 'Sup3r-Secret!';

  beforeAll(async () => {
    app = await buildGateway(loadConfig(GatewayEnv));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  const post = (path: string, body: object) =>
    request(app.getHttpServer()).post(`/v2/auth/${path}`).send(body);

  it('signs up, logs in, refreshes, and the tokens pass verification', async () => {
    const signup = await post('signup', { email, password, displayName: 'Signup Tester' });
    expect(signup.status).toBe(201);
    expect(signup.body).toEqual({ confirmationRequired: false });

    const login = await post('login', { email, password });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({
      accessToken: expect.any(String),
      idToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: expect.any(Number),
      tokenType: 'Bearer',
    });

    const refreshed = await post('refresh', { refreshToken: login.body.refreshToken });
    expect(refreshed.status).toBe(200);
    const caller = await app.get(TokenVerifier).verify(refreshed.body.accessToken);
    expect(caller.username).toBeTruthy();
    expect(caller.groups).toEqual([]);
  });

  it('logs out by revoking the refresh token: it cannot be used again', async () => {
    const login = await post('login', { email, password });
    expect((await post('logout', { refreshToken: login.body.refreshToken })).status).toBe(204);
    const refreshed = await post('refresh', { refreshToken: login.body.refreshToken });
    expect(refreshed.status).toBe(401);
    expect(refreshed.body.code).toBe('invalid_credentials');
  });

  it('answers a second signup with the same email exactly like the first (no enumeration)', async () => {
    const again = await post('signup', { email, password: 'Other-Pass1!', displayName: 'Someone Else' });
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ confirmationRequired: false });
    // …and the account still has its original password.
    expect((await post('login', { email, password })).status).toBe(200);
  });

  it.each([
    ['a wrong password', { email, password: 'Wrong-Pass1!' }],
    ['an unknown email', { email: `nobody-${randomUUID()}@test.paychat.local`, password }],
  ])('refuses %s with 401 invalid_credentials', async (_, body) => {
    const res = await post('login', body);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_credentials');
  });

  it('refuses a weak password and a bad email with 400, naming the field', async () => {
    const weak = await post('signup', {
      email: `weak-${randomUUID()}@test.paychat.local`,
      password: 'short',
      displayName: 'W',
    });
    expect(weak.status).toBe(400);
    expect(weak.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
    const badEmail = await post('signup', { email: 'not-an-email', password, displayName: 'B' });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.errors).toEqual([expect.objectContaining({ field: 'email' })]);
  });

  it('refuses a garbage refresh token with 401', async () => {
    const res = await post('refresh', { refreshToken: 'garbage' });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_credentials');
  });

  it('answers a password-reset request with 202 whether or not the email exists', async () => {
    expect((await post('password/forgot', { email })).status).toBe(202);
    expect(
      (await post('password/forgot', { email: `nobody-${randomUUID()}@test.paychat.local` })).status,
    ).toBe(202);
  });

  it('refuses a wrong reset code with 400 invalid_code', async () => {
    const res = await post('password/reset', { email, code: '000000', newPassword: 'Brand-New1!' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_code');
  });
});
