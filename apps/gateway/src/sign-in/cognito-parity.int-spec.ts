import { randomUUID } from 'node:crypto';
import {
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@paychat/config';
import { callJson, createTestUser, listenOnFreePort } from '@paychat/testing';
import { LegacyTestbed, FIXTURE_PASSWORD } from '../../../../test/harness/legacy-fixtures';
import { TEST_LEGACY_PORT } from '../../../../test/test-env';
import { buildGateway } from '../build-gateway';
import { GatewayEnv } from '../gateway.env';

/** What the local Cognito stand-in must do as Cognito does: disabled users, global sign-out, legacy emails. */
describe('auth endpoints against the local Cognito stand-in, as in production', () => {
  let app: NestFastifyApplication;
  let gateway: string;
  let cognito: CognitoIdentityProviderClient;
  let config: GatewayEnv;

  beforeAll(async () => {
    config = loadConfig(GatewayEnv);
    app = await buildGateway(config);
    gateway = await listenOnFreePort(app);
    cognito = app.get(CognitoIdentityProviderClient, { strict: false });
  });
  afterAll(() => app.close());

  const post = (path: string, body: object) => callJson(gateway, 'POST', `/v2/auth/${path}`, { body });
  const target = (email: string) => ({ UserPoolId: config.COGNITO_USER_POOL_ID, Username: email });

  it('refuses a disabled user’s login and refresh with 401 invalid_credentials; re-enabled, login works', async () => {
    const { email, password } = await createTestUser();
    const before = await post('login', { email, password });
    await cognito.send(new AdminDisableUserCommand(target(email)));
    for (const refused of [
      await post('login', { email, password }),
      await post('refresh', { refreshToken: before.body.refreshToken }),
    ])
      expect([refused.status, refused.body.code]).toEqual([401, 'invalid_credentials']);
    await cognito.send(new AdminEnableUserCommand(target(email)));
    expect((await post('login', { email, password })).status).toBe(200);
  });

  it('revokes every refresh token of a user at a global sign-out', async () => {
    const { email, password } = await createTestUser();
    const sessions = [await post('login', { email, password }), await post('login', { email, password })];
    await cognito.send(new AdminUserGlobalSignOutCommand(target(email)));
    for (const { body } of sessions)
      expect((await post('refresh', { refreshToken: body.refreshToken })).status).toBe(401);
  });

  describe('a legacy user’s email (PreSignUp trigger, legacy app running)', () => {
    let legacy: LegacyTestbed;
    beforeAll(async () => {
      legacy = await LegacyTestbed.start(process.env);
      await legacy.app.listen(TEST_LEGACY_PORT, '127.0.0.1');
    });
    afterAll(() => legacy.close());

    it('gets no new account at sign-up (the same answer as a taken email), and its owner migrates at login', async () => {
      const { email } = await legacy.createUser(1_000);
      const signup = await post('signup', { email, password: 'Someone-Else1!', displayName: 'Squatter' });
      expect([signup.status, signup.body]).toEqual([201, { confirmationRequired: false }]);
      expect((await post('login', { email, password: 'Someone-Else1!' })).status).toBe(401);
      const migrated = await post('login', { email, password: FIXTURE_PASSWORD });
      expect(migrated.status).toBe(200);
    });

    it('lets a new email sign up', async () => {
      const email = `new-${randomUUID()}@test.paychat.local`;
      expect((await post('signup', { email, password: 'Brand-New-Pass1!', displayName: 'New' })).status).toBe(
        201,
      );
      expect((await post('login', { email, password: 'Brand-New-Pass1!' })).status).toBe(200);
    });
  });
});
