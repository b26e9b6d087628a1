import type { IncomingHttpHeaders } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@paychat/config';
import { callJson, listenOnFreePort, mintAccessToken, stubServer } from '@paychat/testing';
import { Metrics } from '@paychat/telemetry';
import { ulid } from 'ulid';
import { buildMessages } from '../build-messages';
import { MessagesEnv } from '../messages.env';

/** The wallet, as messages calls it: records each call; a token whose subject is `disabled` gets a 401. */
function stubWallet() {
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  const server = stubServer((req, res) => {
    seen.push({ url: req.url!, headers: req.headers });
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    req.resume();
    if (req.url === '/internal/users/lookup') return json(200, { users: [] });
    const sub = JSON.parse(Buffer.from(req.headers.authorization!.split('.')[1], 'base64url').toString()).sub;
    return sub === 'disabled' ? json(401, { code: 'unauthorized' }) : json(200, { userId: ulid() });
  });
  return { seen, ...server };
}

/** Messages against a stand-in wallet (its user directory): what each call to it carries. */
describe('calls to the wallet', () => {
  const wallet = stubWallet();
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    app = await buildMessages(loadConfig(MessagesEnv, { ...process.env, WALLET_URL: await wallet.start() }));
    url = await listenOnFreePort(app);
  });
  afterAll(async () => {
    await app.close();
    await wallet.stop();
  });

  const lastCallTo = (path: string) => wallet.seen.filter((s) => s.url === path).at(-1);

  it('carry the request id of the request they serve: GET /v2/me and /internal/users/lookup', async () => {
    const token = await mintAccessToken({ claims: { sub: ulid(), username: 'someone' } });
    const chats = await callJson(url, 'GET', '/v2/conversations', {
      token,
      headers: { 'x-request-id': 'rid-resolve-1' },
    });
    expect(chats.status).toBe(200);
    expect(lastCallTo('/v2/me')?.headers['x-request-id']).toBe('rid-resolve-1');

    const create = await callJson(url, 'POST', '/v2/conversations', {
      token,
      body: { memberIds: [ulid()] },
      headers: { 'x-request-id': 'rid-lookup-1' },
    });
    expect(create.body.code).toBe('recipient_not_found');
    expect(lastCallTo('/internal/users/lookup')?.headers['x-request-id']).toBe('rid-lookup-1');
  });

  it('counts a caller the wallet refuses as a disabled user', async () => {
    const metrics = app.get(Metrics);
    const before = await metrics.valueOf('auth_token_rejections_total', { reason: 'disabled_user' });
    const token = await mintAccessToken({ claims: { sub: 'disabled', username: 'disabled' } });
    const res = await callJson(url, 'GET', '/v2/conversations', { token });
    expect([res.status, res.body.code]).toEqual([401, 'unauthorized']);
    expect(await metrics.valueOf('auth_token_rejections_total', { reason: 'disabled_user' })).toBe(
      before + 1,
    );
  });
});
