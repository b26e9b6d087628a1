import { directConversationId, TRANSFER_CREATED } from '@paychat/contracts';
import { Metrics } from '@paychat/telemetry';
import { MessagesHarness } from '../../../../test/harness/messages-harness';
import { outcomes, transferEvent } from '../testing/relayed-events';

/** Relayed events and long-polls, as the messages service's metrics show them (DynamoDB Local). */
describe('messages metrics', () => {
  let m: MessagesHarness;
  let metrics: Metrics;
  beforeAll(async () => {
    m = await MessagesHarness.start();
    metrics = m.app.get(Metrics);
  });
  afterAll(() => m.stop());

  const transfers = (result: string) =>
    metrics.valueOf('messages_events_applied_total', { topic: TRANSFER_CREATED, result });
  /** How many deliveries the lag histogram has timed for transfers (its +Inf bucket holds every one). */
  const lagObserved = () =>
    metrics.valueOf('messages_chat_delivery_lag_seconds', { topic: TRANSFER_CREATED, le: '+Inf' });

  it('counts each event of a batch by outcome, and times the applied ones from occurredAt', async () => {
    const [x, y] = await Promise.all([m.user(), m.user()]);
    const occurredAt = new Date(Date.now() - 2_000).toISOString();
    const batch = [1, 2, 3].map((amount) => ({ ...transferEvent(x.userId, y.userId, amount), occurredAt }));
    const invalid = transferEvent(x.userId, x.userId); // to oneself: never applies
    const before = await Promise.all([transfers('applied'), transfers('duplicate'), transfers('rejected')]);
    const lagBefore = await lagObserved();

    expect(await outcomes(m, [...batch, invalid])).toEqual(['applied', 'applied', 'applied', 'rejected']);
    expect(await outcomes(m, batch.slice(0, 2))).toEqual(['duplicate', 'duplicate']);

    const after = await Promise.all([transfers('applied'), transfers('duplicate'), transfers('rejected')]);
    expect(after).toEqual([before[0] + 3, before[1] + 2, before[2] + 1]);
    expect(await lagObserved()).toBe(lagBefore + 3);
  });

  it('shows a waiting long-poll in the gauge, and 0 once it has answered', async () => {
    const [x, y] = await Promise.all([m.user(), m.user()]);
    const conv = directConversationId(x.userId, y.userId);
    await outcomes(m, [transferEvent(x.userId, y.userId, 1)]);
    const longPolls = () => metrics.valueOf('messages_long_polls_in_flight');
    const waiting = m.call('GET', `/v2/conversations/${conv}/messages?after=${conv}.1&waitSeconds=20`, {
      token: y.token,
    });
    for (const until = Date.now() + 3_000; (await longPolls()) === 0 && Date.now() < until;)
      await new Promise((r) => setTimeout(r, 20));
    expect(await longPolls()).toBe(1);
    await outcomes(m, [transferEvent(x.userId, y.userId, 2)]);
    expect((await waiting).body.items).toHaveLength(1);
    expect(await longPolls()).toBe(0);
  });
});
