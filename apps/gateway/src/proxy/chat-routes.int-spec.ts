import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@paychat/config';
import { callJson, listenOnFreePort } from '@paychat/testing';
import { MessagesHarness } from '../../../../test/harness/messages-harness';
import { buildGateway } from '../build-gateway';
import { GatewayEnv } from '../gateway.env';

/** Chats through the gateway: the messages service behind it, the wallet as its user directory. */
describe('chat routes through the gateway', () => {
  let m: MessagesHarness;
  let gateway: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    m = await MessagesHarness.start();
    // A short default upstream deadline: the chat routes' own (long-poll) deadline must win.
    gateway = await buildGateway(
      loadConfig(GatewayEnv, {
        ...process.env,
        WALLET_URL: m.wallet.url,
        MESSAGES_URL: m.url,
        UPSTREAM_TIMEOUT_MS: '1000',
      }),
    );
    url = await listenOnFreePort(gateway);
  });
  afterAll(async () => {
    await gateway.close();
    await m.stop();
  });

  it('start a chat, send, long-poll past the default upstream deadline, read, list; devices too', async () => {
    const [alice, bob] = await Promise.all([m.user(), m.user()]);
    const call = (token: string, method: string, path: string, body?: unknown) =>
      callJson(url, method, path, { token, body });

    const chat = await call(alice.token, 'POST', '/v2/conversations', { memberIds: [bob.userId] });
    expect(chat.status).toBe(201);
    const again = await call(bob.token, 'POST', '/v2/conversations', { memberIds: [alice.userId] });
    expect([again.status, again.body.id]).toEqual([200, chat.body.id]);
    const conv = String(chat.body.id);

    const hello = await call(alice.token, 'POST', `/v2/conversations/${conv}/messages`, {
      clientMessageId: randomUUID(),
      text: 'hello Bob',
    });
    expect(hello.status).toBe(201);

    const started = Date.now();
    const quiet = await call(
      bob.token,
      'GET',
      `/v2/conversations/${conv}/messages?after=${hello.body.id}&waitSeconds=2`,
    );
    expect([quiet.status, quiet.body.items]).toEqual([200, []]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900); // held longer than UPSTREAM_TIMEOUT_MS

    const list = await call(bob.token, 'GET', '/v2/conversations');
    expect((list.body.items as object[])[0]).toMatchObject({
      id: conv,
      unreadCount: 1,
      lastMessage: { text: 'hello Bob' },
    });
    expect(
      (await call(bob.token, 'POST', `/v2/conversations/${conv}/read`, { messageId: hello.body.id })).status,
    ).toBe(204);
    expect((await call(bob.token, 'GET', `/v2/conversations/${conv}`)).body.unreadCount).toBe(0);

    const device = { platform: 'ios', token: 'a'.repeat(64) };
    expect((await call(bob.token, 'POST', '/v2/devices', device)).status).toBe(204);
    expect((await call(bob.token, 'DELETE', '/v2/devices', device)).status).toBe(204);

    const noToken = await callJson(url, 'GET', '/v2/conversations');
    expect([noToken.status, noToken.body.code]).toEqual([401, 'unauthorized']);
  });
});
