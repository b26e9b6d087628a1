import { Body, Controller, HttpCode, Logger, Module, Post, UseGuards } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { BaseEnv, loadConfig } from '@paychat/config';
import { CoreModule, createApp, Public } from '@paychat/platform';
import { InternalCallers, InternalGuard } from './internal.guard';
import { ServiceKeys } from './keys';
import { signRequest } from './signature';

/** The same route on two services, both open to the gateway: what tells them apart is the signature's target. */
@Public()
@Controller('internal')
@UseGuards(InternalGuard)
@InternalCallers('gateway')
class EchoController {
  @Post('echo')
  @HttpCode(200)
  echo(@Body() body: unknown) {
    return body;
  }
}

@Module({ controllers: [EchoController], providers: [InternalGuard] })
class EchoModule {}

const config = loadConfig(BaseEnv, { LOG_LEVEL: 'silent' });
const path = '/internal/echo';
const body = JSON.stringify({ amount: 100 });
const signedBy = (caller: string, target: string) =>
  signRequest(ServiceKeys.parse(config.INTERNAL_SECRETS, caller).signingKey(target), {
    method: 'POST',
    path,
    body,
  });

async function start(service: string): Promise<NestFastifyApplication> {
  const app = await createApp({ module: EchoModule, imports: [CoreModule.forRoot(service, config)] }, config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe('InternalGuard: a signed call is good for one service, once', () => {
  let wallet: NestFastifyApplication;
  let messages: NestFastifyApplication;
  let warnings: jest.SpyInstance;
  beforeAll(async () => {
    [wallet, messages] = await Promise.all([start('wallet'), start('messages')]);
  });
  beforeEach(() => (warnings = jest.spyOn(Logger.prototype, 'warn')));
  afterEach(() => warnings.mockRestore());
  afterAll(() => Promise.all([wallet.close(), messages.close()]));

  const send = (app: NestFastifyApplication, headers: Record<string, string>) =>
    request(app.getHttpServer()).post(path).set(headers).set('content-type', 'application/json').send(body);
  const loggedReasons = () => warnings.mock.calls.map(([fields]) => (fields as { reason?: string }).reason);

  it('accepts the gateway’s call where it was signed for', async () => {
    const res = await send(wallet, signedBy('gateway', 'wallet'));
    expect([res.status, res.body]).toEqual([200, { amount: 100 }]);
  });

  it('refuses a call signed for the wallet when it is replayed to messages (401, reason logged)', async () => {
    const res = await send(messages, signedBy('gateway', 'wallet'));
    expect([res.status, res.body.code]).toEqual([401, 'unauthorized']);
    expect(loggedReasons()).toContain('signed for another service');
  });

  it('refuses the same signed call sent a second time (401, reason logged)', async () => {
    const headers = signedBy('gateway', 'wallet');
    expect((await send(wallet, headers)).status).toBe(200);
    const again = await send(wallet, headers);
    expect([again.status, again.body.code]).toEqual([401, 'unauthorized']);
    expect(loggedReasons()).toContain('replayed nonce');
    expect((await send(wallet, signedBy('gateway', 'wallet'))).status).toBe(200); // signed afresh: accepted
  });

  it('refuses a caller signing with its own pair secret as another caller', async () => {
    // messages holds messages→wallet; it cannot make the gateway→wallet signature this route accepts.
    const key = ServiceKeys.parse(config.INTERNAL_SECRETS, 'messages').signingKey('wallet');
    const forged = signRequest({ ...key, caller: 'gateway' }, { method: 'POST', path, body });
    const res = await send(wallet, forged);
    expect([res.status, res.body.code]).toEqual([401, 'unauthorized']);
    expect(loggedReasons()).toContain('bad signature');
  });
});
