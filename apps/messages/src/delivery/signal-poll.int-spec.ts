import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { convPk } from '../db/keys';
import { MessagesHarness, TestChatUser } from '../../../../test/harness/messages-harness';
import { MessageSignals } from './message-signals';

/** Long-polls answered from the wake-up's messages and the known latest seq (DynamoDB Local + Redis). */
describe('long-polls without reads in the steady state: the signal carries the messages', () => {
  const RECHECK_MS = 3000;
  let m: MessagesHarness;
  let queries: jest.SpyInstance;
  beforeAll(async () => {
    m = await MessagesHarness.start({ LONG_POLL_RECHECK_MS: String(RECHECK_MS) });
  });
  afterAll(() => m.stop());
  beforeEach(() => {
    queries = jest.spyOn(m.app.get(DynamoDBDocumentClient), 'send');
  });
  afterEach(() => jest.restoreAllMocks());

  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** The history Queries of `conv` so far. */
  const historyQueries = (conv: string) =>
    queries.mock.calls.filter(
      ([c]) => c instanceof QueryCommand && c.input.ExpressionAttributeValues?.[':pk'] === convPk(conv),
    ).length;
  const poll = (u: TestChatUser, conv: string, after: string, wait = 20) =>
    m
      .call('GET', `/v2/conversations/${conv}/messages?after=${after}&waitSeconds=${wait}`, {
        token: u.token,
      })
      .then((res) => res.body.items.map((i: { text: string }) => i.text) as string[]);
  /** A direct chat with one message; a poll after it has made the instance learn its latest seq. */
  async function chat(): Promise<[TestChatUser, TestChatUser, string, string]> {
    const [a, b] = await Promise.all([m.user(), m.user()]);
    const conv = await m.conversation(a, [b]);
    const first = await m.send(a, conv, 'first', randomUUID());
    const waiting = poll(b, conv, first.body.id);
    await pause(300);
    await m.send(a, conv, 'second', randomUUID());
    expect(await waiting).toEqual(['second']);
    return [a, b, conv, `${conv}.2`];
  }

  it('answers a woken poll from the signal, and a re-poll right after waits without a Query', async () => {
    const [a, b, conv, second] = await chat();
    const before = historyQueries(conv);
    // The phone re-polls at once: the known latest seq is its anchor, so it waits without reading.
    const waiting = poll(b, conv, second);
    await pause(500);
    await m.send(a, conv, 'third', randomUUID());
    expect(await waiting).toEqual(['third']);
    expect(historyQueries(conv)).toBe(before);
  });

  it('a poll whose anchor is behind the carried messages still gets every message, in order', async () => {
    const [a, b, conv, second] = await chat();
    // The third message's signal is lost: this instance still believes 2 is the latest.
    jest.spyOn(m.app.get(MessageSignals), 'notify').mockImplementationOnce(() => undefined);
    await m.send(a, conv, 'third', randomUUID());
    const waiting = poll(b, conv, second);
    await pause(500);
    await m.send(a, conv, 'fourth', randomUUID()); // carries only 4: not right after 2, so it reads
    expect(await waiting).toEqual(['third', 'fourth']);
  });

  it('respects limit when the signal carries more than asked for', async () => {
    const [, b, conv, second] = await chat();
    const signals = m.app.get(MessageSignals);
    const later = [3, 4, 5].map((seq) => ({
      id: `${conv}.${seq}`,
      conversationId: conv,
      senderId: b.userId,
      kind: 'text' as const,
      text: `m${seq}`,
      createdAt: new Date().toISOString(),
    }));
    const waiting = m.call(
      'GET',
      `/v2/conversations/${conv}/messages?after=${second}&waitSeconds=20&limit=2`,
      {
        token: b.token,
      },
    );
    await pause(500);
    const before = historyQueries(conv);
    signals.notify(conv, later); // as a batch writer would after committing 3..5
    const res = await waiting;
    expect(res.body.items.map((i: { text: string }) => i.text)).toEqual(['m3', 'm4']);
    expect(res.body.nextCursor).toEqual(expect.any(String));
    expect(historyQueries(conv)).toBe(before);
  });

  it('catches a lost signal with the periodic re-read', async () => {
    const [a, b, conv, second] = await chat();
    const waiting = poll(b, conv, second);
    await pause(500);
    jest.spyOn(m.app.get(MessageSignals), 'notify').mockImplementationOnce(() => undefined);
    const sentAt = Date.now();
    await m.send(a, conv, 'unsignalled', randomUUID());
    expect(await waiting).toEqual(['unsignalled']);
    expect(Date.now() - sentAt).toBeLessThan(RECHECK_MS + 2000);
  });
});
