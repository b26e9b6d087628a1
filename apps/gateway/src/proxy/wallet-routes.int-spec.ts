import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { loadConfig } from '@paychat/config';
import { WalletHarness } from '../../../../test/harness/wallet-harness';
import { buildGateway } from '../build-gateway';
import { GatewayEnv } from '../gateway.env';

/** The newcomer's path: sign up and log in at the gateway, then use the wallet through it. */
describe('wallet routes through the gateway', () => {
  let wallet: WalletHarness;
  let gateway: NestFastifyApplication;

  beforeAll(async () => {
    wallet = await WalletHarness.start();
    gateway = await buildGateway(loadConfig(GatewayEnv, { ...process.env, WALLET_URL: wallet.url }));
    await gateway.init();
    await gateway.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await gateway.close();
    await wallet.stop();
  });

  async function signUpAndLogIn(name: string) {
    const email = `gw-${randomUUID()}@test.paychat.local`;
    await request(gateway.getHttpServer())
      .post('/v2/auth/signup')
      .send({ email, password: 'Gateway-Pass1!', displayName: name })
      .expect(201);
    const login = await request(gateway.getHttpServer())
      .post('/v2/auth/login')
      .send({ email, password: 'Gateway-Pass1!' })
      .expect(200);
    return { email, auth: `Bearer ${login.body.accessToken as string}` };
  }

  it('signup → login → /v2/me → bank account → charge → transfer → history', async () => {
    const http = () => request(gateway.getHttpServer());
    const alice = await signUpAndLogIn('Alice');
    const bob = await signUpAndLogIn('Bob');

    const me = await http().get('/v2/me').set('authorization', alice.auth).expect(200);
    expect(me.body).toMatchObject({ email: alice.email, displayName: 'Alice', kycLevel: 'none' });
    const bobMe = await http().get('/v2/me').set('authorization', bob.auth).expect(200);

    const bank = await http()
      .post('/v2/wallet/bank-accounts')
      .set('authorization', alice.auth)
      .send({ bankCode: '0005', branchCode: '001', accountNumber: '7654321', holderName: 'ALICE' })
      .expect(201);
    const charge = await http()
      .post('/v2/wallet/charges')
      .set('authorization', alice.auth)
      .set('idempotency-key', randomUUID())
      .send({ amount: 5000, bankAccountId: bank.body.id })
      .expect(201);
    expect(charge.body).toMatchObject({ status: 'completed', balance: 5000 });

    const key = randomUUID();
    const send = () =>
      http()
        .post('/v2/wallet/transfers')
        .set('authorization', alice.auth)
        .set('idempotency-key', key)
        .set('x-request-id', 'gw-transfer-1')
        .send({ toUserId: bobMe.body.userId, amount: 1200, memo: 'lunch' });
    const transfer = await send().expect(201);
    expect(transfer.body).toMatchObject({ amount: 1200, balance: 3800 });
    expect(transfer.headers['x-request-id']).toBe('gw-transfer-1');
    const replay = await send().expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');

    const wallet = await http().get('/v2/wallet').set('authorization', bob.auth).expect(200);
    expect(wallet.body).toMatchObject({ balance: 1200, currency: 'JPY', status: 'active' });
    const history = await http()
      .get('/v2/wallet/transactions?limit=5')
      .set('authorization', bob.auth)
      .expect(200);
    expect(history.body.items).toEqual([
      expect.objectContaining({ type: 'transfer_in', amount: 1200, memo: 'lunch' }),
    ]);
    expect(history.body.nextCursor).toBeNull();
  });

  it('routes /admin/v2 to the wallet, which refuses non-admins with 403', async () => {
    const user = await signUpAndLogIn('Mallory');
    await request(gateway.getHttpServer()).get('/v2/me').set('authorization', user.auth).expect(200);
    const res = await request(gateway.getHttpServer())
      .get('/admin/v2/audit-log')
      .set('authorization', user.auth)
      .expect(403);
    expect(res.body.code).toBe('forbidden');
  });

  it("passes the wallet's own 401 through for a missing token", async () => {
    const res = await request(gateway.getHttpServer()).get('/v2/wallet').expect(401);
    expect(res.body.code).toBe('unauthorized');
  });
});
