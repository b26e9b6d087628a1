import { randomUUID } from 'node:crypto';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { loadConfig } from '@paychat/config';
import { CognitoEnv } from '@paychat/auth';
import { FIXTURE_PASSWORD } from './harness/legacy-fixtures';
import { SessionsService } from '../apps/legacy/src/sessions/sessions.service';
import { LegacyImport } from '../apps/wallet/src/legacy/legacy-import';
import { Reconciler } from '../apps/wallet/src/reconciliation/reconciler';
import { Stack } from './stack';
import { TEST_LEGACY_PORT } from './test-env';
import { CARVE_BALANCE } from '../apps/gateway/src/testing/carved-routes';

/** The strangler carve-out end to end (README runbook): users move into Cognito on first login; balances move into the wallet. */
describe('strangler migration: users and balances leave the legacy app (whole stack)', () => {
  let stack: Stack;
  const config = loadConfig(CognitoEnv);
  const cognito = new CognitoIdentityProviderClient({
    region: config.COGNITO_REGION,
    endpoint: config.COGNITO_ENDPOINT,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  beforeAll(async () => {
    stack = await Stack.start({ GATEWAY_ROUTES: CARVE_BALANCE }, TEST_LEGACY_PORT);
  });
  afterAll(async () => {
    await stack.legacy.setBalanceWrites('enabled'); // other test files write legacy balances
    await stack.stop();
    cognito.destroy();
  });

  const login = (email: string, password: string) =>
    stack.call('POST', '/v2/auth/login', { body: { email, password } });
  const cognitoUser = (email: string) =>
    cognito.send(new AdminGetUserCommand({ UserPoolId: config.COGNITO_USER_POOL_ID, Username: email })).then(
      (u) => Object.fromEntries((u.UserAttributes ?? []).map((a) => [a.Name, a.Value])),
      (err: Error) => err.name,
    );

  it('a legacy user signs in with the legacy password and becomes a Cognito user; the next sign-in skips legacy', async () => {
    const taro = await stack.legacy.createUser(0);
    const verify = jest.spyOn(stack.legacy.app.get(SessionsService), 'verify');
    const first = await login(taro.email, FIXTURE_PASSWORD);
    expect(first.status).toBe(200);
    expect(await cognitoUser(taro.email)).toMatchObject({
      email: taro.email,
      email_verified: 'true',
      'custom:legacy_user_id': String(taro.id),
    });
    expect(verify).toHaveBeenCalledTimes(1);
    const again = await login(taro.email, FIXTURE_PASSWORD);
    expect(again.status).toBe(200);
    expect(verify).toHaveBeenCalledTimes(1); // Cognito knows the user now

    const me = await stack.call('GET', '/v2/me', { token: again.body.accessToken });
    expect(me.status).toBe(200);
    const [[row]] = (await stack.wallet.db.query('SELECT legacy_user_id FROM users WHERE id = ?', [
      me.body.userId,
    ])) as unknown as [[{ legacy_user_id: number }]];
    expect(row.legacy_user_id).toBe(taro.id); // the Cognito sub → our user → the legacy id
    verify.mockRestore();
  });

  it('a wrong legacy password is a 401 and creates no Cognito user', async () => {
    const hanako = await stack.legacy.createUser(100);
    const res = await login(hanako.email, 'Not-Her-Pass1!');
    expect([res.status, res.body.code]).toEqual([401, 'invalid_credentials']);
    expect(await cognitoUser(hanako.email)).toBe('UserNotFoundException');
  });

  it('carves the balances out: read-only + drained, imported (crash and rerun), verified, claimed, route flipped', async () => {
    const imports = stack.wallet.app.get(LegacyImport);
    const [early, late, quiet] = [
      await stack.legacy.createUser(3_000),
      await stack.legacy.createUser(12_500),
      await stack.legacy.createUser(700),
    ];
    // `early` migrated before the import: their wallet account exists and is credited by it.
    const earlyLogin = await login(early.email, FIXTURE_PASSWORD);
    await stack.call('GET', '/v2/me', { token: earlyLogin.body.accessToken });

    await expect(imports.run(stack.legacy.db)).rejects.toThrow('not read-only');

    // 1. Legacy balance writes stop (the flip waits for writes in flight) and are refused from now on.
    await stack.legacy.setBalanceWrites('read_only');
    const session = await stack.legacy.sessionFor(quiet.id);
    const write = await stack.call('POST', '/v1/transfers', {
      headers: { authorization: `Session ${session}` },
      body: { toEmail: late.email, amount: 100 },
    });
    expect([write.status, write.body.code]).toEqual([503, 'service_unavailable']);

    // 2. The import crashes halfway, then a rerun finishes it; a third run changes nothing.
    await expect(imports.run(stack.legacy.db, { batchSize: 1, failAfter: 2 })).rejects.toThrow(
      'simulated crash',
    );
    const partial = await imports.verify(stack.legacy.db);
    expect(partial.differences.length).toBeGreaterThan(0);
    const finished = await imports.run(stack.legacy.db);
    expect(finished.differences).toEqual([]);
    expect(finished.imported).toEqual(finished.legacy);
    expect((await imports.run(stack.legacy.db)).thisRun).toBe(0);
    expect((await stack.wallet.app.get(Reconciler).run('full')).balanced).toBe(true);

    // 3. Claims: the early migrant's account got their balance; the late one claims theirs at first sign-in.
    expect((await stack.call('GET', '/v2/wallet', { token: earlyLogin.body.accessToken })).body.balance).toBe(
      3_000,
    );
    const lateLogin = await login(late.email, FIXTURE_PASSWORD);
    const lateWallet = await stack.call('GET', '/v2/wallet', { token: lateLogin.body.accessToken });
    expect(lateWallet.body.balance).toBe(12_500);
    const [[owner]] = (await stack.wallet.db.query(
      'SELECT COUNT(*) AS n FROM accounts WHERE legacy_user_id = ? AND owner_id IS NOT NULL',
      [late.id],
    )) as unknown as [[{ n: number }]];
    expect(Number(owner.n)).toBe(1);

    // 4. The route has flipped: /v1/balance answers from the wallet, in the v1 shape.
    const quietBalance = await stack.call('GET', '/v1/balance', {
      headers: { authorization: `Session ${session}` },
    });
    expect(quietBalance.body).toEqual({ userId: quiet.id, balance: 700, currency: 'JPY' });
    // …and money moves in the new system only.
    const spent = await stack.call('POST', '/v2/wallet/transfers', {
      token: lateLogin.body.accessToken,
      key: randomUUID(),
      body: {
        toUserId: (await stack.call('GET', '/v2/me', { token: earlyLogin.body.accessToken })).body.userId,
        amount: 500,
      },
    });
    expect(spent.status).toBe(201);
    expect(await stack.legacy.balanceOf(late.id)).toBe(12_500); // legacy untouched
  });
});
