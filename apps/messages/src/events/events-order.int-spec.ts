import { randomUUID } from 'node:crypto';
import { directConversationId } from '@paychat/contracts';
import type { TestWalletUser } from '../../../../test/harness/wallet-harness';
import type { ChatRead } from '../messages/message-batch';
import { MessagesHarness, TestChatUser } from '../../../../test/harness/messages-harness';
import { ChatPass } from './chat-pass';

interface TransferMessage {
  createdAt: string;
  transfer: { transferId: string };
}

/** After an outage, the wallet's relay (real MariaDB) into the chats (real DynamoDB Local). */
describe('a chat delivered after an outage reads in the order money moved', () => {
  let m: MessagesHarness;
  beforeAll(async () => {
    m = await MessagesHarness.start();
    // Earlier test files leave undelivered events behind; this file counts its own.
    await m.wallet.db.query(
      'UPDATE outbox SET delivered_at = CURRENT_TIMESTAMP(3) WHERE delivered_at IS NULL',
    );
  });
  afterAll(() => m.stop());

  /** Time passes: every backoff and lease runs out; then one relay round. */
  const relayNow = async () => {
    await m.wallet.db.query(
      'UPDATE outbox SET available_at = CURRENT_TIMESTAMP(3) WHERE delivered_at IS NULL',
    );
    return m.wallet.outboxRelay.runOnce();
  };
  const transfers = async (u: TestChatUser | TestWalletUser, conv: string) => {
    const res = await m.call('GET', `/v2/conversations/${conv}/messages?limit=100`, { token: u.token });
    return ((res.body.items ?? []) as TransferMessage[]).reverse(); // none yet: the chat does not exist
  };

  it('holds a failing chat while the others proceed; each message shows its transfer’s time, in order', async () => {
    const payee = await m.user();
    const payers = await Promise.all([1, 2, 3].map(() => m.wallet.user(10_000)));
    const convs = payers.map((p) => directConversationId(p.userId, payee.userId));
    const down = jest
      .spyOn(m.wallet.outboxPublisher, 'publish')
      .mockRejectedValue(new Error('connect ECONNREFUSED'));
    // Four transfers per chat, interleaved across chats; the relay keeps failing meanwhile, so
    // older events have been tried more often than newer ones (per-event backoff let them overtake).
    const sent: { id: string; createdAt: string }[][] = payers.map(() => []);
    for (let round = 0; round < 4; round++) {
      for (const [i, payer] of payers.entries()) {
        const t = await m.wallet.call('POST', '/v2/wallet/transfers', {
          token: payer.token,
          key: randomUUID(),
          body: { toUserId: payee.userId, amount: 10 + round },
        });
        expect(t.status).toBe(201);
        sent[i].push({ id: String(t.body.id), createdAt: String(t.body.createdAt) });
      }
      expect(await relayNow()).toBe(0);
    }
    down.mockRestore();

    // Messages is back, but the first chat's writes fail for a while (a DynamoDB hiccup).
    const open = ChatPass.prototype.open;
    const flaky = jest.spyOn(ChatPass.prototype, 'open').mockImplementation(function (
      this: ChatPass,
      read: ChatRead,
    ) {
      if (this.convId === convs[0]) return Promise.reject(new Error('ProvisionedThroughputExceeded'));
      return open.call(this, read);
    });
    expect(await relayNow()).toBe(8);
    expect(await transfers(payee, convs[0])).toEqual([]);
    flaky.mockRestore();
    expect(await relayNow()).toBe(4);

    const [rows] = (await m.wallet.db.query(
      `SELECT aggregate_id, created_at FROM outbox WHERE aggregate_id IN (?)`,
      [sent.flat().map((t) => t.id)],
    )) as unknown as [{ aggregate_id: string; created_at: Date }[]];
    const occurredAt = new Map(rows.map((r) => [r.aggregate_id, r.created_at.toISOString()]));
    for (const [i, conv] of convs.entries()) {
      const chat = await transfers(payee, conv);
      expect(chat.map((c) => c.transfer.transferId)).toEqual(sent[i].map((t) => t.id)); // seq order
      expect(chat.map((c) => c.createdAt)).toEqual(sent[i].map((t) => occurredAt.get(t.id)));
      // Stamped with the transfer's own time, so the chat reads in the order money moved.
      expect(chat.map((c) => c.createdAt)).toEqual(sent[i].map((t) => t.createdAt));
      chat.forEach((c, k) => k > 0 && expect(c.createdAt >= chat[k - 1].createdAt).toBe(true));
    }
  });
});
