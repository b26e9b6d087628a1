import { randomUUID } from 'node:crypto';
import {
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoEnv } from '@paychat/auth';
import { loadConfig } from '@paychat/config';
import { createTestUser, loginTestUser } from '@paychat/testing';
import { WalletHarness } from '../../../../test/harness/wallet-harness';

describe('profiles (wallet on MariaDB, tokens from cognito-local)', () => {
  let w: WalletHarness;
  beforeAll(async () => (w = await WalletHarness.start()));
  afterAll(() => w.stop());

  it('provisions one user and wallet under concurrent first calls, with email and name from Cognito', async () => {
    const cognitoUser = await createTestUser({ name: 'Hanako Yamada' });
    const { accessToken } = await loginTestUser(cognitoUser);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => w.call('GET', '/v2/me', { token: accessToken })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    const ids = new Set(answers.map((a) => a.body.userId));
    expect(ids.size).toBe(1);
    expect(answers[0].body).toMatchObject({
      email: cognitoUser.email,
      displayName: 'Hanako Yamada',
      handle: null,
      kycLevel: 'none',
    });
    const [userId] = [...ids];
    expect(
      await w.count(`SELECT COUNT(*) n FROM accounts WHERE kind = 'user' AND owner_id = ?`, [userId]),
    ).toBe(1);
    expect(await w.count('SELECT COUNT(*) n FROM identities WHERE user_id = ?', [userId])).toBe(1);
  });

  it('stores no email that Cognito has not seen verified (email_verified false)', async () => {
    const cognitoUser = await createTestUser({ name: 'Unverified' });
    const config = loadConfig(CognitoEnv);
    const cognito = new CognitoIdentityProviderClient({
      region: config.COGNITO_REGION,
      endpoint: config.COGNITO_ENDPOINT,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: config.COGNITO_USER_POOL_ID,
        Username: cognitoUser.email,
        UserAttributes: [
          { Name: 'email', Value: cognitoUser.email },
          { Name: 'email_verified', Value: 'false' },
        ],
      }),
    );
    cognito.destroy();
    const { accessToken } = await loginTestUser(cognitoUser);
    const me = await w.call('GET', '/v2/me', { token: accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: '', displayName: 'Unverified' });
  });

  it('sets a handle, finds the user by it exactly, and refuses a taken one', async () => {
    const a = await w.user();
    const b = await w.user();
    const handle = `h_${randomUUID().slice(0, 8)}`;
    const patched = await w.call('PATCH', '/v2/me', {
      token: a.token,
      body: { handle, displayName: 'Alice A' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ handle, displayName: 'Alice A' });
    expect((await w.call('GET', `/v2/users/${handle}`, { token: b.token })).body).toEqual({
      userId: a.userId,
      displayName: 'Alice A',
      handle,
    });
    const taken = await w.call('PATCH', '/v2/me', { token: b.token, body: { handle } });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('handle_taken');
  });

  it('answers 404 for unknown and disabled handles, 400 for malformed ones', async () => {
    const a = await w.user();
    expect((await w.call('GET', '/v2/users/nobody_here_x', { token: a.token })).status).toBe(404);
    const handle = `d_${randomUUID().slice(0, 8)}`;
    const b = await w.user();
    await w.call('PATCH', '/v2/me', { token: b.token, body: { handle } });
    await w.db.query(`UPDATE users SET status = 'disabled' WHERE id = ?`, [b.userId]);
    expect((await w.call('GET', `/v2/users/${handle}`, { token: a.token })).status).toBe(404);
    expect((await w.call('GET', '/v2/users/Not-Valid!', { token: a.token })).status).toBe(400);
  });

  it('refuses mass assignment of kycLevel or status and bad handles', async () => {
    const a = await w.user();
    for (const body of [
      { kycLevel: 'verified' },
      { status: 'active' },
      { handle: 'AB' },
      { displayName: '' },
    ]) {
      const res = await w.call('PATCH', '/v2/me', { token: a.token, body });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    expect((await w.call('GET', '/v2/me', { token: a.token })).body.kycLevel).toBe('none');
  });

  it('requires a token', async () => {
    expect((await w.call('GET', '/v2/me')).status).toBe(401);
  });
});
