import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { directConversationId } from '@paychat/contracts';
import { ConversationsRepository } from '../conversations/conversations.repository';
import { MessagesHarness, TestChatUser } from '../../../../test/harness/messages-harness';
import { outcomes, transferEvent } from '../testing/relayed-events';
import { InboxFanout } from './inbox-fanout';
import { Notifier } from './notifier';

/** What a long-poll cycle and a relayed transfer cost in DynamoDB calls, guarantees kept (DynamoDB Local). */
describe('long-poll and relay costs: fewer reads and writes, same answers', () => {
  let m: MessagesHarness;
  beforeAll(async () => {
    // Rechecks every 5 s (the default): a pollingUntil written by an earlier poll covers the next wait.
    m = await MessagesHarness.start({ LONG_POLL_RECHECK_MS: '5000' });
  });
  afterAll(() => m.stop());
  afterEach(() => jest.restoreAllMocks());

  const poll = (u: TestChatUser, conv: string, after: string, wait = 20) =>
    m.call('GET', `/v2/conversations/${conv}/messages?after=${after}&waitSeconds=${wait}`, {
      token: u.token,
    });
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** pollingUntil writes seen by a spy on the document client. */
  const pollingWrites = (send: jest.SpyInstance) =>
    send.mock.calls.filter(
      ([c]) => c instanceof UpdateCommand && String(c.input.UpdateExpression).includes('pollingUntil'),
    ).length;

  it('a direct chat long-poll re-reads neither membership nor pollingUntil on its next cycles', async () => {
    const [a, b] = await Promise.all([m.user(), m.user()]);
    const conv = await m.conversation(a, [b]);
    const first = await m.send(a, conv, 'first', randomUUID());
    const meta = jest.spyOn(m.app.get(ConversationsRepository), 'getMeta');
    const send = jest.spyOn(m.app.get(DynamoDBDocumentClient), 'send');
    const cycle = async (after: string, text: string) => {
      const waiting = poll(b, conv, after);
      await pause(500);
      const sent = await m.send(a, conv, text, randomUUID());
      expect((await waiting).body.items.map((i: { text: string }) => i.text)).toEqual([text]);
      return sent.body.id as string;
    };
    const second = await cycle(first.body.id, 'second');
    const [reads, writes] = [meta.mock.calls.length, pollingWrites(send)];
    expect(writes).toBe(1);
    await cycle(second, 'third');
    // Only the sends read META now; the poll's membership is known and its pollingUntil still covers it.
    expect(meta.mock.calls.length - reads).toBe(1);
    expect(pollingWrites(send)).toBe(writes);
  });

  it('a member who left a group gets 404 when their waiting long-poll wakes', async () => {
    const [a, b, c] = await Promise.all([m.user(), m.user(), m.user()]);
    const conv = await m.conversation(a, [b, c], 'Club');
    const first = await m.send(a, conv, 'hello', randomUUID());
    const waiting = poll(c, conv, first.body.id);
    await pause(500);
    expect((await m.call('POST', `/v2/conversations/${conv}/leave`, { token: c.token })).status).toBe(204);
    const res = await waiting; // woken by the "left" system message
    expect([res.status, res.body.code]).toEqual([404, 'not_found']);
  });

  it('a relayed transfer moves the recipient’s chat up in its own transaction and pushes only non-pollers', async () => {
    const [x, y, z] = await Promise.all([m.user(), m.user(), m.user()]);
    const xy = directConversationId(x.userId, y.userId);
    const xz = directConversationId(x.userId, z.userId);
    await outcomes(m, [transferEvent(x.userId, y.userId, 1), transferEvent(x.userId, z.userId, 1)]);
    await m.fanoutIdle();
    const deliver = jest.spyOn(m.app.get(InboxFanout), 'deliver');
    const notify = jest.spyOn(m.app.get(Notifier), 'notify');
    const waiting = poll(y, xy, `${xy}.1`); // y long-polls; z does not
    await pause(500);
    await outcomes(m, [transferEvent(z.userId, x.userId, 2), transferEvent(x.userId, y.userId, 2)]);
    await outcomes(m, [transferEvent(x.userId, z.userId, 3)]);
    expect(
      (await waiting).body.items.map((i: { transfer: { amount: number } }) => i.transfer.amount),
    ).toEqual([2]);
    // Read at once, without waiting for any fan-out: the rows moved with the messages.
    const list = await m.call('GET', '/v2/conversations', { token: y.token });
    expect(list.body.items[0]).toMatchObject({ id: xy, unreadCount: 2 });
    const zList = await m.call('GET', '/v2/conversations', { token: z.token });
    expect(zList.body.items[0]).toMatchObject({ id: xz, unreadCount: 1 }); // z sent 2: read up to it
    await m.fanoutIdle();
    expect(deliver).not.toHaveBeenCalled();
    const pushed = notify.mock.calls.map(([n]) => [n.userId, n.message.conversationId]);
    expect(pushed).toEqual([
      [x.userId, xz],
      [z.userId, xz],
    ]);
  });
});
