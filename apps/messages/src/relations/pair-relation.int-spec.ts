import { ulid } from 'ulid';
import { MessagesHarness, TestChatUser } from '../../../../test/harness/messages-harness';
import { PairRelation } from './pair-relation';

describe('pair relation (what the wallet asks before a payment request)', () => {
  let m: MessagesHarness;
  beforeAll(async () => (m = await MessagesHarness.start()));
  afterAll(() => m.stop());

  it('answers the wallet whether a pair shares a chat and whether either blocked the other', async () => {
    const [a, b, c, d] = await Promise.all([m.user(), m.user(), m.user(), m.user()]);
    const lookup = async (x: TestChatUser, y: TestChatUser | string) =>
      await m.app.get(PairRelation).lookup(x.userId, typeof y === 'string' ? y : y.userId);
    expect(await lookup(a, b)).toEqual({ sharesChat: false, blocked: false });
    expect(await lookup(a, ulid())).toEqual({ sharesChat: false, blocked: false });
    await m.conversation(a, [b]);
    expect(await lookup(b, a)).toEqual({ sharesChat: true, blocked: false });
    const group = await m.conversation(c, [a, d], 'Trip');
    expect(await lookup(a, d)).toEqual({ sharesChat: true, blocked: false });
    await m.call('POST', `/v2/conversations/${group}/leave`, { token: d.token });
    expect(await lookup(a, d)).toEqual({ sharesChat: false, blocked: false });
    await m.call('PUT', `/v2/blocks/${a.userId}`, { token: b.token });
    expect(await lookup(a, b)).toEqual({ sharesChat: true, blocked: true });
  });
});
