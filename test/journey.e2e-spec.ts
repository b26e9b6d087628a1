import { randomUUID } from 'node:crypto';
import * as api from '@paychat/client';
import { createTestUser } from '@paychat/testing';
import { ContractResponses } from './contract-responses';
import { Stack } from './stack';

/**
 * The product, as a client app uses it — through the gateway, with only the client generated from
 * openapi/paychat.yaml; every answer is also checked against the contract's response schemas.
 */
describe('journey with the generated client (whole stack)', () => {
  let stack: Stack;
  const contract = new ContractResponses();
  const violations: string[] = [];
  beforeAll(async () => {
    stack = await Stack.start();
  });
  afterAll(() => stack.stop());

  /** A client whose every answer is checked against the contract. */
  function client(token?: string): api.Client {
    const c = api.paychat(stack.url, token);
    c.interceptors.response.use(async (response, request, options) => {
      const text = await response.clone().text();
      const body = text ? (JSON.parse(text) as unknown) : undefined;
      violations.push(
        ...contract.check(
          request.method,
          String(options.url),
          response.status,
          response.headers.get('content-type'),
          body,
        ),
      );
      return response;
    });
    return c;
  }
  const key = () => ({ 'Idempotency-Key': randomUUID() });

  async function newcomer(name: string, handle: string) {
    const email = `journey-${randomUUID()}@test.paychat.local`;
    const password = 'Journey-Pass1!';
    const anonymous = client();
    expect(
      (await api.signup({ client: anonymous, body: { email, password, displayName: name } })).response.status,
    ).toBe(201);
    const { data: tokens } = await api.login({ client: anonymous, body: { email, password } });
    const c = client(tokens!.accessToken);
    const { data: me } = await api.getMe({ client: c });
    await api.updateMe({ client: c, body: { handle } });
    const { data: bank } = await api.linkBankAccount({
      client: c,
      body: { bankCode: '0001', branchCode: '001', accountNumber: '7654321', holderName: name.toUpperCase() },
    });
    return { c, userId: me!.userId, bankAccountId: bank!.id };
  }

  it('two people sign up, find each other, chat, pay in the chat, request and pay; an admin checks and reverses', async () => {
    const suffix = randomUUID().slice(0, 6).replace(/-/g, '');
    const aya = await newcomer('Aya', `aya_${suffix}`);
    const ken = await newcomer('Ken', `ken_${suffix}`);
    const charged = await api.createCharge({
      client: aya.c,
      headers: key(),
      body: { amount: 20_000, bankAccountId: aya.bankAccountId },
    });
    expect(charged.response.status).toBe(201);

    // Find a friend by handle, open the direct chat (the same one from either side), talk.
    const { data: found } = await api.getUserByHandle({ client: aya.c, path: { handle: `ken_${suffix}` } });
    expect(found).toMatchObject({ userId: ken.userId, displayName: 'Ken' });
    const { data: chat } = await api.createConversation({ client: aya.c, body: { memberIds: [ken.userId] } });
    const again = await api.createConversation({ client: ken.c, body: { memberIds: [aya.userId] } });
    expect([again.response.status, again.data?.id]).toEqual([200, chat!.id]);
    const conv = { id: chat!.id };
    await api.sendMessage({
      client: aya.c,
      path: conv,
      body: { clientMessageId: randomUUID(), text: 'ramen tonight?' },
    });
    const { data: reply } = await api.sendMessage({
      client: ken.c,
      path: conv,
      body: { clientMessageId: randomUUID(), text: 'yes!' },
    });
    expect((await api.getConversation({ client: aya.c, path: conv })).data?.unreadCount).toBe(1);
    await api.markConversationRead({ client: aya.c, path: conv, body: { messageId: reply!.id } });
    expect((await api.getConversation({ client: aya.c, path: conv })).data?.unreadCount).toBe(0);

    // Money in the chat, then a request in the other direction, paid.
    const { data: sent } = await api.createConversationTransfer({
      client: aya.c,
      path: conv,
      headers: key(),
      body: { amount: 1_800, memo: 'ramen' },
    });
    expect(sent).toMatchObject({
      fromUserId: aya.userId,
      toUserId: ken.userId,
      amount: 1_800,
      balance: 18_200,
    });
    const { data: request } = await api.createPaymentRequest({
      client: ken.c,
      body: { payerId: aya.userId, amount: 500, memo: 'gyoza' },
    });
    const { data: incoming } = await api.listPaymentRequests({
      client: aya.c,
      query: { role: 'incoming', status: 'pending' },
    });
    expect(incoming?.items.map((r) => r.id)).toEqual([request!.id]);
    const { data: paid } = await api.payPaymentRequest({
      client: aya.c,
      path: { id: request!.id },
      headers: key(),
    });
    expect(paid?.request.status).toBe('paid');
    expect((await api.getWallet({ client: ken.c })).data?.balance).toBe(2_300);

    // History: the transfers and the request show up in the chat (posted by the wallet's relay).
    const history = await stack.eventually(
      async () =>
        (await api.listMessages({ client: ken.c, path: conv, query: { limit: 50 } })).data?.items ?? [],
      (items) =>
        items.filter((m) => m.kind === 'transfer').length === 2 &&
        items.some((m) => m.paymentRequest?.status === 'paid'),
    );
    expect(history.map((m) => m.kind).sort()).toEqual([
      'payment_request',
      'text',
      'text',
      'transfer',
      'transfer',
    ]);
    const { data: list } = await api.listConversations({ client: ken.c });
    expect(list?.items.find((c) => c.id === chat!.id)?.unreadCount).toBeGreaterThan(0);
    const { data: txs } = await api.listTransactions({ client: ken.c, query: { limit: 10 } });
    expect(txs?.items.map((t) => t.type)).toEqual(['transfer_in', 'transfer_in']);

    // An operator freezes Ken, checks the ledger and reverses Aya's transfer (once).
    const admin = await createTestUser({ groups: ['admin'], name: 'Operator' });
    const { data: adminTokens } = await api.login({
      client: client(),
      body: { email: admin.email, password: admin.password },
    });
    const ops = client(adminTokens!.accessToken);
    await api.adminFreezeWallet({
      client: ops,
      path: { userId: ken.userId },
      body: { reason: 'journey check' },
    });
    const frozen = await api.createConversationTransfer({
      client: ken.c,
      path: conv,
      headers: key(),
      body: { amount: 100 },
    });
    expect([frozen.response.status, frozen.error?.code]).toEqual([423, 'account_frozen']);
    const { data: health } = await api.adminGetLedgerHealth({ client: ops });
    expect(health?.balanced).toBe(true);
    const reversal = await api.adminReverseTransfer({
      client: ops,
      path: { id: sent!.id },
      headers: key(),
      body: { reason: 'disputed' },
    });
    expect(reversal.response.status).toBe(201);
    const twice = await api.adminReverseTransfer({
      client: ops,
      path: { id: sent!.id },
      headers: key(),
      body: { reason: 'disputed' },
    });
    expect([twice.response.status, twice.error?.code]).toEqual([409, 'already_reversed']);
    expect((await api.getWallet({ client: aya.c })).data?.balance).toBe(20_000 - 500);

    expect(violations).toEqual([]);
  });
});
