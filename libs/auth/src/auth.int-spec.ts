import { Controller, Get, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { loadConfig } from '@paychat/config';
import { CoreModule, createApp } from '@paychat/platform';
import { createTestUser, loginTestUser, mintAccessToken, Tokens, unsignedToken } from '@paychat/testing';
import type { AuthUser } from './auth-user';
import { AuthModule } from './auth.module';
import { CognitoEnv } from './cognito.env';
import { AdminOnly, CurrentCaller } from './decorators';

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

  beforeAll(async () => {
    const config = loadConfig(CognitoEnv);
    app = await createApp(
      {
        module: ProbeModule,
        imports: [CoreModule.forRoot('probe', config), AuthModule],
      },
      config,
    );
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
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
    const res = await get('/probe/admin', member.accessToken);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
  });

  const bad: [string, () => Promise<string | undefined>][] = [
    ['a missing token', async () => undefined],
    ['garbage', async () => 'not-a-jwt'],
    ['an expired token', () => mintAccessToken({ expiresIn: -60 })],
    ['a token for another app client', () => mintAccessToken({ claims: { client_id: 'someotherclient' } })],
    ['an id token used as an access token', async () => member.idToken],
    ['a refresh token used as an access token', async () => member.refreshToken],
    ['a forged signature', () => mintAccessToken({ foreignKey: true })],
    ['an unknown kid', () => mintAccessToken({ kid: 'rotated-away' })],
    [
      'alg none',
      async () => unsignedToken({ sub: 'x', token_use: 'access', client_id: 'paychatlocalappclient00001' }),
    ],
    [
      'a token claiming admin without a valid signature',
      () => mintAccessToken({ foreignKey: true, claims: { 'cognito:groups': ['admin'] } }),
    ],
  ];

  it.each(bad)('refuses %s with 401', async (_, token) => {
    const res = await get('/probe/me', await token());
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthorized');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('never trusts a bare x-user-id header', async () => {
    const res = await request(app.getHttpServer()).get('/probe/me').set('x-user-id', 'someone');
    expect(res.status).toBe(401);
  });
});
