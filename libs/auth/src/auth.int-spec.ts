import { Controller, Get, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { loadConfig } from '@paychat/config';
import { CoreModule, createApp } from '@paychat/platform';
import { Metrics } from '@paychat/telemetry';
import {
  createTestUser,
  freePort,
  loginTestUser,
  mintAccessToken,
  Tokens,
  unsignedToken,
} from '@paychat/testing';
import type { AuthUser } from './auth-user';
import { AuthModule } from './auth.module';
import { CognitoEnv } from './cognito.env';
import { AdminOnly, CurrentCaller } from './decorators';
import type { TokenRejectionReason } from './token-rejections';

@Controller('probe')
class ProbeController {
  @Get('me')
  me(@CurrentCaller() user: AuthUser) {
    return { sub: user.sub, groups: user.groups };
  }

  @Get('admin')
  @AdminOnly()
  admin() {
    return { ok: true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('Cognito access-token verification (against cognito-local)', () => {
  let app: NestFastifyApplication;
  let member: Tokens;
  let admin: Tokens;

  /** The probe app, verifying tokens of the pool `env` names. */
  const probeApp = async (env: NodeJS.ProcessEnv = process.env) => {
    const config = loadConfig(CognitoEnv, env);
    const probe = await createApp(
      { module: ProbeModule, imports: [CoreModule.forRoot('probe', config), AuthModule] },
      config,
    );
    await probe.init();
    await probe.getHttpAdapter().getInstance().ready();
    return probe;
  };

  beforeAll(async () => {
    app = await probeApp();
    member = await loginTestUser(await createTestUser());
    admin = await loginTestUser(await createTestUser({ groups: ['admin'] }));
  });
  afterAll(() => app.close());

  const get = (path: string, token?: string) => {
    const req = request(app.getHttpServer()).get(path);
    return token === undefined ? req : req.set('authorization', `Bearer ${token}`);
  };

  it('accepts a real access token and exposes the caller', async () => {
    const res = await get('/probe/me', member.accessToken);
    expect(res.status).toBe(200);
    expect(res.body.sub).toEqual(expect.any(String));
    expect(res.body.groups).toEqual([]);
  });

  it('lets the admin group through admin routes and refuses others with 403', async () => {
    expect((await get('/probe/admin', admin.accessToken)).status).toBe(200);
    const before = await rejections('not_admin');
    const res = await get('/probe/admin', member.accessToken);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect(await rejections('not_admin')).toBe(before + 1);
  });

  const rejections = (reason: TokenRejectionReason) =>
    app.get(Metrics).valueOf('auth_token_rejections_total', { reason });

  const bad: [string, TokenRejectionReason, () => Promise<string | undefined>][] = [
    ['a missing token', 'missing', async () => undefined],
    ['garbage', 'malformed', async () => 'not-a-jwt'],
    ['an expired token', 'expired', () => mintAccessToken({ expiresIn: -60 })],
    [
      'a token for another app client',
      'wrong_claims',
      () => mintAccessToken({ claims: { client_id: 'someotherclient' } }),
    ],
    ['an id token used as an access token', 'wrong_claims', async () => member.idToken],
    // cognito-local's refresh token is a signed JWT without the access claims (Cognito's is encrypted).
    ['a refresh token used as an access token', 'wrong_claims', async () => member.refreshToken],
    ['a forged signature', 'invalid_signature', () => mintAccessToken({ foreignKey: true })],
    ['an unknown kid', 'invalid_signature', () => mintAccessToken({ kid: 'rotated-away' })],
    [
      'alg none',
      'invalid_signature',
      async () => unsignedToken({ sub: 'x', token_use: 'access', client_id: 'paychatlocalappclient00001' }),
    ],
    [
      'a token claiming admin without a valid signature',
      'invalid_signature',
      () => mintAccessToken({ foreignKey: true, claims: { 'cognito:groups': ['admin'] } }),
    ],
  ];

  it.each(bad)('refuses %s with 401, counted as %s', async (_, reason, token) => {
    const before = await rejections(reason);
    const res = await get('/probe/me', await token());
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthorized');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(await rejections(reason)).toBe(before + 1);
  });

  it('answers 503 when the pool’s keys cannot be fetched, counted as unavailable', async () => {
    const keyless = await probeApp({
      ...process.env,
      COGNITO_ENDPOINT: `http://127.0.0.1:${await freePort()}`, // nothing listens there
    });
    try {
      const res = await request(keyless.getHttpServer())
        .get('/probe/me')
        .set('authorization', `Bearer ${await mintAccessToken()}`);
      expect([res.status, res.body.code]).toEqual([503, 'service_unavailable']);
      const unavailable = { reason: 'unavailable' };
      expect(await keyless.get(Metrics).valueOf('auth_token_rejections_total', unavailable)).toBe(1);
    } finally {
      await keyless.close();
    }
  });

  it('never trusts a bare x-user-id header', async () => {
    const res = await request(app.getHttpServer()).get('/probe/me').set('x-user-id', 'someone');
    expect(res.status).toBe(401);
  });
});
