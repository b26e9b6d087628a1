import { Logger } from '@nestjs/common';
import { expectRetryLater, FaultyLink, timed } from '@paychat/testing';
import { MessagesHarness, TestChatUser } from '../../../../test/harness/messages-harness';

/** A messages service whose DynamoDB sits behind a link the tests break. */
describe('DynamoDB unavailable: 503 with Retry-After, within seconds', () => {
  let link: FaultyLink;
  let m: MessagesHarness;
  let a: TestChatUser;
  let conv: string;
  let lastId: string;

  beforeAll(async () => {
    link = await FaultyLink.to(Number(new URL(process.env.DYNAMODB_ENDPOINT!).port));
    m = await MessagesHarness.start({ DYNAMODB_ENDPOINT: `http://127.0.0.1:${link.port}` });
    a = await m.user();
    conv = await m.conversation(a, [await m.user()]);
    lastId = String((await m.send(a, conv, 'before the outage', 'c-0')).body.id);
  });
  afterAll(async () => {
    await link.restore();
    await m.stop();
    await link.close();
  });
  afterEach(() => link.restore());

  /** Sending, reading history and a long-poll (which would otherwise wait 20 s). */
  const calls = (n: number) => [
    m.send(a, conv, 'during the outage', `c-${n}`),
    m.call('GET', `/v2/conversations/${conv}/messages`, { token: a.token }),
    m.call('GET', `/v2/conversations/${conv}/messages?after=${lastId}&waitSeconds=20`, { token: a.token }),
  ];

  it('refused: send, history and a long-poll answer 503 at once, logged as a warning naming dynamodb', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      await link.refuse();
      for (const [res, ms] of await Promise.all(calls(1).map(timed))) {
        expectRetryLater(res);
        expect(ms).toBeLessThan(3_000);
      }
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ dependency: 'dynamodb', reason: expect.stringContaining('ECONNREFUSED') }),
        'dependency unavailable',
      );
    } finally {
      warn.mockRestore();
    }
    await link.restore();
    expect((await m.send(a, conv, 'after the outage', 'c-1')).status).toBe(201);
  });

  it('hung (takes connections and bytes, never answers): the same within the client timeouts', async () => {
    link.drop();
    link.hang();
    for (const [res, ms] of await Promise.all(calls(2).map(timed))) {
      expectRetryLater(res);
      // Two attempts of at most 1 s to connect and 3 s to answer; without them, a request would hang.
      expect(ms).toBeLessThan(12_000);
    }
  });
});
