import { randomUUID } from 'node:crypto';
import { MessagesHarness, TestChatUser } from '../../../../test/harness/messages-harness';
import { DevicesRepository } from '../devices/devices.repository';
import { Notifier } from './notifier';

/** Long-polls on a chat: `after` + `waitSeconds`. Deadlines here are generous: it is about being woken. */
describe('live delivery: long-poll across instances, push for the others (DynamoDB Local + Redis)', () => {
  let m: MessagesHarness;
  let other: MessagesHarness;
  beforeAll(async () => {
    // The recheck is set far above the waits below: only a signal can end these polls early.
    m = await MessagesHarness.start({ LONG_POLL_RECHECK_MS: '25000' });
    other = await m.another({ LONG_POLL_RECHECK_MS: '25000' });
  });
  afterAll(async () => {
    await other.stop();
    await m.stop();
  });

  async function chatWithOneMessage(): Promise<[TestChatUser, TestChatUser, string, string]> {
    const [a, b] = await Promise.all([m.user(), m.user()]);
    const conv = await m.conversation(a, [b]);
    const first = await m.send(a, conv, 'first', randomUUID());
    return [a, b, conv, first.body.id];
  }

  /** Starts a long-poll and reports when it answered, relative to `since()`. */
  function poll(on: MessagesHarness, u: TestChatUser, conv: string, after: string, wait: number) {
    const started = Date.now();
    return on
      .call('GET', `/v2/conversations/${conv}/messages?after=${after}&waitSeconds=${wait}`, {
        token: u.token,
      })
      .then((res) => ({ res, ms: Date.now() - started }));
  }

  it('answers at once when a newer message already exists', async () => {
    const [a, b, conv, first] = await chatWithOneMessage();
    await m.send(a, conv, 'second', randomUUID());
    const { res, ms } = await poll(m, b, conv, first, 20);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { text: string }) => i.text)).toEqual(['second']);
    expect(ms).toBeLessThan(10_000);
  });

  it('is woken by a send on the same instance, long before its deadline', async () => {
    const [a, b, conv, first] = await chatWithOneMessage();
    const waiting = poll(m, b, conv, first, 20);
    await new Promise((r) => setTimeout(r, 500));
    const sentAt = Date.now();
    await m.send(a, conv, 'wake up', randomUUID());
    const { res } = await waiting;
    expect(res.body.items.map((i: { text: string }) => i.text)).toEqual(['wake up']);
    expect(Date.now() - sentAt).toBeLessThan(10_000); // the deadline was 20 s away
  });

  it('is woken by a send on another instance (Redis signal; the recheck is 25 s away)', async () => {
    const [a, b, conv, first] = await chatWithOneMessage();
    const waiting = poll(other, b, conv, first, 20);
    await new Promise((r) => setTimeout(r, 500));
    const sentAt = Date.now();
    await m.send(a, conv, 'from instance A', randomUUID());
    const { res } = await waiting;
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { text: string }) => i.text)).toEqual(['from instance A']);
    expect(Date.now() - sentAt).toBeLessThan(10_000);
  });

  it('times out cleanly with an empty page at waitSeconds', async () => {
    const [, b, conv, first] = await chatWithOneMessage();
    const { res, ms } = await poll(other, b, conv, first, 1);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], nextCursor: null });
    expect(ms).toBeGreaterThanOrEqual(900);
  });

  it('is refused to non-members like every other route (404)', async () => {
    const [, , conv, first] = await chatWithOneMessage();
    const stranger = await m.user();
    const { res } = await poll(m, stranger, conv, first, 2);
    expect([res.status, res.body.code]).toEqual([404, 'not_found']);
  });

  it('pushes to members who are not long-polling the chat, never blocking the send', async () => {
    const notify = jest.spyOn(m.app.get(Notifier), 'notify');
    try {
      const [a, b, conv, first] = await chatWithOneMessage();
      const c = await m.user();
      const group = await m.conversation(a, [b, c], 'Team');
      await m.fanoutIdle();
      notify.mockClear();

      // b long-polls the direct chat: the message reaches b through the poll, so no push for b.
      const waiting = poll(m, b, conv, first, 20);
      await new Promise((r) => setTimeout(r, 500));
      await m.send(a, conv, 'you are online', randomUUID());
      await waiting;
      await m.send(a, group, 'group news', randomUUID());
      await m.fanoutIdle();
      const pushed = notify.mock.calls.map(([n]) => [n.userId, n.message.conversationId]);
      expect(pushed).toEqual(
        expect.arrayContaining([
          [b.userId, group],
          [c.userId, group],
        ]),
      );
      expect(pushed).not.toContainEqual([b.userId, conv]);
      expect(pushed.some(([u]) => u === a.userId)).toBe(false); // never to the sender
    } finally {
      notify.mockRestore();
    }
  });

  it('registers push tokens idempotently; a token moves to the latest user who registers it', async () => {
    const [a, b] = await Promise.all([m.user(), m.user()]);
    const devices = m.app.get(DevicesRepository);
    const token = `fcm-${randomUUID()}`;
    const register = (u: TestChatUser) =>
      m.call('POST', '/v2/devices', { token: u.token, body: { platform: 'android', token } });
    expect((await Promise.all([register(a), register(a), register(a)])).map((r) => r.status)).toEqual([
      204, 204, 204,
    ]);
    expect(await devices.forUser(a.userId)).toEqual([{ platform: 'android', token }]);
    expect((await register(b)).status).toBe(204);
    expect(await devices.forUser(a.userId)).toEqual([]);
    expect(await devices.forUser(b.userId)).toEqual([{ platform: 'android', token }]);

    // Unregistering someone else's token changes nothing; one's own twice is fine.
    const unregister = (u: TestChatUser) =>
      m.call('DELETE', '/v2/devices', { token: u.token, body: { platform: 'android', token } });
    expect((await unregister(a)).status).toBe(204);
    expect(await devices.forUser(b.userId)).toHaveLength(1);
    expect([(await unregister(b)).status, (await unregister(b)).status]).toEqual([204, 204]);
    expect(await devices.forUser(b.userId)).toEqual([]);

    for (const body of [
      {},
      { platform: 'web', token },
      { platform: 'ios', token: 'short' },
      { platform: 'ios', token, x: 1 },
    ]) {
      const res = await m.call('POST', '/v2/devices', { token: a.token, body });
      expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
    }
  });
});
