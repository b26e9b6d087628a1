import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { directConversationId } from '@paychat/contracts';
import { ulid } from 'ulid';
import { MessagesHarness, TestChatUser } from '../../../../test/harness/messages-harness';
import { history, outcomes, postBatch, requestEvent, transferEvent } from '../testing/relayed-events';

/** How a batch is written: round trips per chat, a failing chat, waking long-polls (DynamoDB Local). */
describe('batched relay events: cost, isolation of a failing chat, live delivery', () => {
  let m: MessagesHarness;
  let db: DynamoDBDocumentClient;
  beforeAll(async () => {
    // The recheck is far above the waits below: only a signal can end a poll early.
    m = await MessagesHarness.start({ LONG_POLL_RECHECK_MS: '25000' });
    db = m.app.get(DynamoDBDocumentClient);
  });
  afterAll(() => m.stop());
  afterEach(() => jest.restoreAllMocks());

  /** The calls a batch makes to read and write its chats, by command (not the fan-out's updates and push lookups). */
  async function callsOf(events: object[]): Promise<{ outcomes: string[]; calls: Record<string, number> }> {
    const send = jest.spyOn(db, 'send');
    const result = await outcomes(m, events);
    const calls: Record<string, number> = {};
    const fanout = ['UpdateCommand', 'QueryCommand'];
    for (const [command] of send.mock.calls.filter(([c]) => !fanout.includes(c.constructor.name)))
      calls[command.constructor.name] = (calls[command.constructor.name] ?? 0) + 1;
    send.mockRestore();
    await m.fanoutIdle();
    return { outcomes: result, calls };
  }

  it('writes a chat’s new messages in few transactions, in order, and reads a replay in one go', async () => {
    const [x, y] = await Promise.all([m.user(), m.user()]);
    const conv = directConversationId(x.userId, y.userId);
    expect(await callsOf([transferEvent(x.userId, y.userId, 1000)])).toEqual({
      outcomes: ['applied'],
      calls: { BatchGetCommand: 1, TransactWriteCommand: 2 }, // the chat's creation, then the message
    });
    expect(await callsOf([transferEvent(y.userId, x.userId, 1001)])).toEqual({
      outcomes: ['applied'],
      calls: { BatchGetCommand: 1, TransactWriteCommand: 1 },
    });
    // 120 messages: 123 keys to read (2 BatchGetItem), 48 messages per transaction of ≤ 100 items.
    const many = Array.from({ length: 120 }, (_, i) => transferEvent(x.userId, y.userId, i + 1));
    const first = await callsOf(many);
    expect(first).toEqual({
      outcomes: Array(120).fill('applied'),
      calls: { BatchGetCommand: 2, TransactWriteCommand: 3 },
    });
    const items = await history(m, y, conv);
    expect(items.map((i) => i.id)).toEqual(Array.from({ length: 100 }, (_, i) => `${conv}.${i + 23}`));
    expect(items.map((i) => i.transfer!.amount)).toEqual(Array.from({ length: 100 }, (_, i) => i + 21));
    expect(await callsOf(many)).toEqual({
      outcomes: Array(120).fill('duplicate'),
      calls: { BatchGetCommand: 2 },
    });
  });

  /** `n` users, each with a direct chat with `x` (created here: later batches find META). */
  async function chatsWith(x: TestChatUser, n: number): Promise<{ ys: TestChatUser[]; convs: string[] }> {
    const ys = await Promise.all(Array.from({ length: n }, () => m.user()));
    await outcomes(
      m,
      ys.map((y) => transferEvent(x.userId, y.userId, 1)),
    );
    return { ys, convs: ys.map((y) => directConversationId(x.userId, y.userId)) };
  }

  /** Runs `meanwhile` once, just before the first transaction (after the batch's read) goes out. */
  function beforeFirstTransaction(meanwhile: () => Promise<unknown>): void {
    const send = db.send.bind(db);
    let done = false;
    jest.spyOn(db, 'send').mockImplementation((async (command: object) => {
      if (!done && command instanceof TransactWriteCommand) {
        done = true;
        await meanwhile();
      }
      return send(command as never);
    }) as never);
  }

  const amounts = (items: { transfer?: { amount: number } }[]) => items.map((i) => i.transfer?.amount);

  it('writes new messages of many existing chats with one read and one transaction per batch', async () => {
    const x = await m.user();
    const { ys, convs } = await chatsWith(x, 18);
    // 18 chats, 3 of them with two messages: 72 keys to read, 96 items to write.
    const events = ys.flatMap((y, i) =>
      i < 3
        ? [transferEvent(y.userId, x.userId, 2), transferEvent(x.userId, y.userId, 3)]
        : [transferEvent(y.userId, x.userId, 2)],
    );
    expect(await callsOf(events)).toEqual({
      outcomes: Array(21).fill('applied'),
      calls: { BatchGetCommand: 1, TransactWriteCommand: 1 },
    });
    for (const [i, conv] of convs.entries())
      expect(amounts(await history(m, x, conv))).toEqual(i < 3 ? [1, 2, 3] : [1, 2]);
  });

  it('a replayed or concurrently delivered event is `duplicate`, the others `applied`, each once', async () => {
    const x = await m.user();
    const { ys, convs } = await chatsWith(x, 4);
    const replayed = transferEvent(ys[0].userId, x.userId, 2);
    expect(await outcomes(m, [replayed])).toEqual(['applied']);
    const twin = transferEvent(ys[1].userId, x.userId, 2);
    const events = [
      replayed, // its dedupe record is read: the chat takes the per-chat path
      transferEvent(ys[0].userId, x.userId, 3),
      twin, // delivered concurrently, between the read and the shared transaction
      ...[ys[2], ys[3]].map((y) => transferEvent(y.userId, x.userId, 2)),
    ];
    beforeFirstTransaction(() => outcomes(m, [twin]));
    expect(await outcomes(m, events)).toEqual(['duplicate', 'applied', 'duplicate', 'applied', 'applied']);
    jest.restoreAllMocks();
    expect(amounts(await history(m, x, convs[0]))).toEqual([1, 2, 3]);
    for (const conv of convs.slice(1)) expect(amounts(await history(m, x, conv))).toEqual([1, 2]);
  });

  it('a user message sent between the read and the shared transaction loses and doubles nothing', async () => {
    const x = await m.user();
    const { ys, convs } = await chatsWith(x, 3);
    beforeFirstTransaction(() => m.send(ys[0], convs[0], 'meanwhile', ulid()));
    const events = ys.map((y) => transferEvent(x.userId, y.userId, 2));
    expect(await outcomes(m, events)).toEqual(['applied', 'applied', 'applied']);
    jest.restoreAllMocks();
    const first = await history(m, x, convs[0]);
    expect(first.map((i) => i.kind)).toEqual(['transfer', 'text', 'transfer']);
    expect(first.map((i) => i.id)).toEqual([1, 2, 3].map((seq) => `${convs[0]}.${seq}`));
    for (const conv of convs.slice(1)) expect(amounts(await history(m, x, conv))).toEqual([1, 2]);
  });

  it('a chat whose write fails reports that event and its later ones `failed`, other chats apply', async () => {
    const [x, y, z] = await Promise.all([m.user(), m.user(), m.user()]);
    const failing = directConversationId(x.userId, y.userId);
    const r = ulid();
    expect(await outcomes(m, [requestEvent(x.userId, y.userId, r, 1, 'pending')])).toEqual(['applied']);
    const events = [
      transferEvent(x.userId, z.userId, 1),
      transferEvent(y.userId, x.userId, 2), // fails
      requestEvent(x.userId, y.userId, r, 2, 'paid'), // not tried: it would not need the failing call
      transferEvent(x.userId, y.userId, 3), // not tried
      transferEvent(z.userId, x.userId, 4),
    ];
    const send = db.send.bind(db);
    jest
      .spyOn(db, 'send')
      .mockImplementation(((command: { input: unknown }) =>
        command instanceof TransactWriteCommand && JSON.stringify(command.input).includes(failing)
          ? Promise.reject(Object.assign(new Error('simulated'), { name: 'TimeoutError' }))
          : send(command as never)) as never);
    const res = await postBatch(m, events);
    jest.restoreAllMocks();
    expect(res.body.results).toEqual([
      { id: events[0].id, outcome: 'applied' },
      { id: events[1].id, outcome: 'failed', code: 'service_unavailable', detail: 'TimeoutError' },
      ...[events[2], events[3]].map(({ id }) => ({
        id,
        outcome: 'failed',
        code: 'service_unavailable',
        detail: 'Not tried: an earlier event of this chat failed',
      })),
      { id: events[4].id, outcome: 'applied' },
    ]);
    expect((await history(m, x, failing)).map((i) => i.paymentRequest?.status)).toEqual(['pending']);

    // The relay retries the batch: what failed applies now, in order; nothing twice.
    const again = await outcomes(m, events);
    expect(again).toEqual(['duplicate', 'applied', 'applied', 'applied', 'duplicate']);
    const items = await history(m, y, failing);
    expect(items.map((i) => i.paymentRequest?.status ?? i.transfer?.amount)).toEqual(['paid', 2, 3]);
    const other = await history(m, z, directConversationId(x.userId, z.userId));
    expect(other.map((i) => i.transfer?.amount)).toEqual([1, 4]);
  });

  it('wakes a long-poll on a chat the batch writes to', async () => {
    const [x, y]: TestChatUser[] = await Promise.all([m.user(), m.user()]);
    const conv = directConversationId(x.userId, y.userId);
    await outcomes(m, [transferEvent(x.userId, y.userId, 1)]);
    const waiting = m.call('GET', `/v2/conversations/${conv}/messages?after=${conv}.1&waitSeconds=20`, {
      token: y.token,
    });
    await new Promise((r) => setTimeout(r, 500));
    const sentAt = Date.now();
    await outcomes(m, [transferEvent(x.userId, y.userId, 2), transferEvent(y.userId, x.userId, 3)]);
    const res = await waiting;
    expect(res.body.items.map((i: { transfer: { amount: number } }) => i.transfer.amount)).toEqual([2, 3]);
    expect(Date.now() - sentAt).toBeLessThan(10_000); // the deadline was 20 s away
  });
});
