import { randomUUID } from 'node:crypto';
import { shutdown } from '@paychat/platform';
import { FaultyLink } from '@paychat/testing';
import { MessagesHarness, TestChatUser } from '../../../../test/harness/messages-harness';

const GRACE_MS = 2_000;
const RECHECK_MS = 500;

/** What ends a long-poll before its waitSeconds: storage failing, and the app shutting down. */
describe('long-polls that end early', () => {
  let link: FaultyLink;
  let m: MessagesHarness;
  let a: TestChatUser;
  let b: TestChatUser;
  let conv: string;
  let first: string;

  beforeAll(async () => {
    link = await FaultyLink.to(Number(new URL(process.env.DYNAMODB_ENDPOINT!).port));
    m = await MessagesHarness.start({
      DYNAMODB_ENDPOINT: `http://127.0.0.1:${link.port}`,
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
      LONG_POLL_RECHECK_MS: String(RECHECK_MS),
    });
    [a, b] = await Promise.all([m.user(), m.user()]);
    conv = await m.conversation(a, [b]);
    first = String((await m.send(a, conv, 'first', randomUUID())).body.id);
  });
  // The last test shut the app down itself.
  afterAll(async () => {
    await m.wallet.stop();
    await link.close();
  });

  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const poll = () =>
    m.call('GET', `/v2/conversations/${conv}/messages?after=${first}&waitSeconds=20`, { token: b.token });

  it('fails at its next re-read when storage goes down while it waits, instead of waiting on', async () => {
    const waiting = poll();
    await pause(200);
    await link.refuse();
    const started = Date.now();
    try {
      const res = await waiting;
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('service_unavailable');
      expect(res.headers.get('retry-after')).not.toBeNull();
      expect(Date.now() - started).toBeLessThan(RECHECK_MS + 3_000);
    } finally {
      await link.restore();
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
