import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { shutdown } from '@paychat/platform';
import { MessagesHarness, TestChatUser } from '../testing/messages-harness';

const GRACE_MS = 2_000;
const RECHECK_MS = 500;

/** What ends a long-poll before its waitSeconds: storage failing, and the app shutting down. */
describe('long-polls that end early', () => {
  let m: MessagesHarness;
  let a: TestChatUser;
  let b: TestChatUser;
  let conv: string;
  let first: string;

  beforeAll(async () => {
    m = await MessagesHarness.start({
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
      LONG_POLL_RECHECK_MS: String(RECHECK_MS),
    });
    [a, b] = await Promise.all([m.user(), m.user()]);
    conv = await m.conversation(a, [b]);
    first = String((await m.send(a, conv, 'first', randomUUID())).body.id);
  });
  // The last test shut the app down itself.
  afterAll(() => m.wallet.stop());

  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const poll = () =>
    m.call('GET', `/v2/conversations/${conv}/messages?after=${first}&waitSeconds=20`, { token: b.token });

  it('fails at its next re-read when storage is down, instead of waiting or retrying', async () => {
    const waiting = poll();
    await pause(200);
    const down = jest
      .spyOn(m.app.get(DynamoDBDocumentClient), 'send')
      .mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:8000'));
    const started = Date.now();
    try {
      const res = await waiting;
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Date.now() - started).toBeLessThan(RECHECK_MS + 2_000);
    } finally {
      down.mockRestore();
    }
  });

  it('answers every waiting poll with its empty page as shutdown begins, and new ones at once', async () => {
    const waiting = poll();
    await pause(300);
    const started = Date.now();
    const stopped = shutdown(m.app);
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], nextCursor: null });
    // Within the grace period: the poll did not wait for the server to close.
    expect(Date.now() - started).toBeLessThan(GRACE_MS);
    const again = await poll();
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ items: [], nextCursor: null });
    expect(Date.now() - started).toBeLessThan(GRACE_MS);
    await stopped;
  });
});
