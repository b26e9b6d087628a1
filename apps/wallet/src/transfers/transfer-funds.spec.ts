import { directConversationId } from '@paychat/contracts';
import { AppError } from '@paychat/errors';
import type { WalletCaller } from '../callers/wallet-caller';
import { AlreadyApplied, IdempotentOperation } from '../idempotency/idempotent-operation';
import { Ledger } from '../ledger/ledger';
import { Outbox } from '../outbox/outbox';
import { fakeSql, newTestService, runsOperations } from '../testing/test-service';
import { Parties } from '../users/parties';
import { TransferFunds } from './transfer-funds.usecase';
import { TransfersRepository } from './transfers.repository';

const alice = { userId: 'U-ALICE', accountId: '11' } as WalletCaller;
const bob = { userId: 'U-BOB', accountId: '22' };
const scope = { key: 'key-1', method: 'POST', path: '/v2/wallet/transfers' };
const body = { toUserId: bob.userId, amount: 1500, memo: 'ramen' };
const command = { from: alice, ...body };

const lookup = { sql: 'SELECT recipient', params: [bob.userId] };
const moneyRow = { sql: 'INSERT INTO transfers', params: ['money row'] };
const entryWrites = [
  { sql: 'SET @posted_at', params: [] },
  { sql: 'UPDATE accounts', params: ['balances'] },
  { sql: 'INSERT INTO postings', params: ['postings'] },
];
const event = { sql: 'INSERT INTO outbox', params: ['event'] };
const duplicateKey = Object.assign(new Error("Duplicate entry for key 'uq_initiator_key'"), { errno: 1062 });

function setUp() {
  const { sut, mock } = newTestService(TransferFunds);
  const db = fakeSql();
  const parties = mock(Parties);
  const transfers = mock(TransfersRepository);
  const ledger = mock(Ledger);
  const outbox = mock(Outbox);
  runsOperations(mock(IdempotentOperation), db.sql);
  parties.lookup.mockReturnValue(lookup);
  parties.recipientFrom.mockReturnValue(bob);
  transfers.insert.mockReturnValue(moneyRow);
  ledger.prepare.mockResolvedValue({
    writes: entryWrites,
    posted: new Map([[alice.accountId, { accountId: alice.accountId, seq: 4, balanceAfter: 8500 }]]),
  });
  outbox.insert.mockReturnValue(event);
  return { sut, db, parties, transfers, ledger, outbox, idempotent: mock(IdempotentOperation) };
}

describe('TransferFunds (unit)', () => {
  it('runs as an idempotent operation of the sender, keyed by the request body', async () => {
    const { sut, idempotent } = setUp();
    await sut.execute(command, scope, body);
    expect(idempotent.execute).toHaveBeenCalledWith(alice.userId, scope, body, expect.anything());
  });

  it('refuses a transfer to oneself before touching the database', async () => {
    const { sut, db, ledger } = setUp();
    await expect(sut.execute({ ...command, toUserId: alice.userId }, scope, body)).rejects.toMatchObject({
      code: 'self_transfer',
    });
    expect(db.query).not.toHaveBeenCalled();
    expect(ledger.prepare).not.toHaveBeenCalled();
  });

  it('sends the recipient lookup and the money row in one round trip, then reads the recipient from its first result', async () => {
    const { sut, db, parties, transfers } = setUp();
    const recipientRows = [{ account_id: '22', status: 'active' }];
    db.query.mockResolvedValueOnce([recipientRows, { affectedRows: 1 }]);
    await sut.execute(command, scope, body);

    expect(db.query).toHaveBeenNthCalledWith(1, 'SELECT recipient;\nINSERT INTO transfers', [
      bob.userId,
      'money row',
    ]);
    expect(parties.lookup).toHaveBeenCalledWith(bob.userId);
    expect(transfers.insert).toHaveBeenCalledWith({
      id: expect.any(String),
      initiatorId: alice.userId,
      idempotencyKey: scope.key,
      fromUserId: alice.userId,
      toUserId: bob.userId,
      amount: 1500,
      memo: 'ramen',
      createdAt: expect.any(Date),
    });
    expect(parties.recipientFrom).toHaveBeenCalledWith(bob.userId, recipientRows);
  });

  it('a money row already there for the key is AlreadyApplied (an earlier request whose answer expired)', async () => {
    const { sut, db, ledger } = setUp();
    db.query.mockRejectedValueOnce(duplicateKey);
    await expect(sut.transfer(db.sql, command, scope.key)).rejects.toBeInstanceOf(AlreadyApplied);
    expect(ledger.prepare).not.toHaveBeenCalled();
  });

  it('any other failure of that round trip propagates as it is', async () => {
    const { sut, db } = setUp();
    const lost = new Error('Connection lost');
    db.query.mockRejectedValueOnce(lost);
    await expect(sut.transfer(db.sql, command, scope.key)).rejects.toBe(lost);
  });

  it.each(['recipient_not_found', 'recipient_unavailable'] as const)(
    'a recipient refused by the lookup (%s) sends nothing more',
    async (code) => {
      const { sut, db, parties, ledger, outbox } = setUp();
      parties.recipientFrom.mockImplementation(() => {
        throw new AppError(code);
      });
      await expect(sut.transfer(db.sql, command, scope.key)).rejects.toMatchObject({ code });
      expect(db.query).toHaveBeenCalledTimes(1);
      expect(ledger.prepare).not.toHaveBeenCalled();
      expect(outbox.insert).not.toHaveBeenCalled();
    },
  );

  it('debits the sender under the outflow limits and credits the recipient under the balance limit, each naming the other', async () => {
    const { sut, db, ledger, transfers } = setUp();
    await sut.transfer(db.sql, command, scope.key);
    const id = transfers.insert.mock.calls[0][0].id;
    expect(ledger.prepare).toHaveBeenCalledWith(db.sql, {
      kind: 'transfer',
      opId: id,
      legs: [
        {
          accountId: alice.accountId,
          amount: -1500,
          type: 'transfer_out',
          counterpartyId: bob.userId,
          memo: 'ramen',
          ifInactive: 'account_frozen',
          limit: 'outflow',
        },
        {
          accountId: bob.accountId,
          amount: 1500,
          type: 'transfer_in',
          counterpartyId: alice.userId,
          memo: 'ramen',
          ifInactive: 'recipient_unavailable',
          limit: 'balance',
        },
      ],
    });
  });

  it("sends the entry's writes and then the chat event in one round trip", async () => {
    const { sut, db } = setUp();
    await sut.transfer(db.sql, command, scope.key);
    expect(db.query).toHaveBeenCalledTimes(2);
    expect(db.query).toHaveBeenLastCalledWith(
      'SET @posted_at;\nUPDATE accounts;\nINSERT INTO postings;\nINSERT INTO outbox',
      ['balances', 'postings', 'event'],
    );
  });

  it('the event is the transfer, ordered in the pair’s chat and stamped with the moment the money moved', async () => {
    const { sut, db, outbox, transfers } = setUp();
    const { body: view } = await sut.transfer(db.sql, command, scope.key);
    const row = transfers.insert.mock.calls[0][0];
    expect(outbox.insert).toHaveBeenCalledWith(db.sql, {
      topic: 'transfer.created',
      aggregateId: row.id,
      version: 1,
      orderingKey: directConversationId(alice.userId, bob.userId),
      occurredAt: row.createdAt,
      payload: {
        id: row.id,
        fromUserId: alice.userId,
        toUserId: bob.userId,
        amount: 1500,
        memo: 'ramen',
        createdAt: view.createdAt,
      },
    });
    expect(view.createdAt).toBe(row.createdAt.toISOString());
  });

  it("answers 201 with the transfer and the sender's balance after it", async () => {
    const { sut, transfers } = setUp();
    const result = await sut.execute(command, scope, body);
    const row = transfers.insert.mock.calls[0][0];
    expect(result.status).toBe(201);
    expect(result.body).toEqual({
      id: row.id,
      fromUserId: alice.userId,
      toUserId: bob.userId,
      amount: 1500,
      memo: 'ramen',
      createdAt: row.createdAt.toISOString(),
      balance: 8500,
    });
  });

  it('keeps the id an operation assigned beforehand (a paid request names its transfer first)', async () => {
    const { sut, db, ledger } = setUp();
    const result = await sut.transfer(db.sql, { ...command, id: 'T-PRESET', memo: undefined }, scope.key);
    expect(result.body).toMatchObject({ id: 'T-PRESET', memo: null });
    expect(ledger.prepare).toHaveBeenCalledWith(db.sql, expect.objectContaining({ opId: 'T-PRESET' }));
  });

  it('a refusal under the locks (insufficient funds) writes neither the entry nor the event', async () => {
    const { sut, db, ledger, outbox } = setUp();
    ledger.prepare.mockRejectedValueOnce(new AppError('insufficient_funds'));
    await expect(sut.transfer(db.sql, command, scope.key)).rejects.toMatchObject({
      code: 'insufficient_funds',
    });
    expect(db.sent()).toEqual(['SELECT recipient;\nINSERT INTO transfers']);
    expect(outbox.insert).not.toHaveBeenCalled();
  });

  describe('replay (the key’s cached answer expired)', () => {
    const stored = {
      id: 'T-1',
      initiator_id: alice.userId,
      from_user_id: alice.userId,
      to_user_id: bob.userId,
      amount: '1500',
      memo: 'ramen',
      created_at: new Date('2025-01-02T03:04:05.678Z'),
      sender_balance_after: '8500',
    };

    function replaying() {
      const service = setUp();
      runsOperations(service.idempotent, service.db.sql, 'replay');
      return service;
    }

    it('answers the transfer the key made, with the balance after it, and moves no money', async () => {
      const { sut, db, transfers, ledger } = replaying();
      transfers.byKey.mockResolvedValue(stored);
      const result = await sut.execute(command, scope, body);
      expect(transfers.byKey).toHaveBeenCalledWith(db.sql, alice.userId, scope.key);
      expect(result.status).toBe(201);
      expect(result.body).toEqual({
        id: 'T-1',
        fromUserId: alice.userId,
        toUserId: bob.userId,
        amount: 1500,
        memo: 'ramen',
        createdAt: '2025-01-02T03:04:05.678Z',
        balance: 8500,
      });
      expect(ledger.prepare).not.toHaveBeenCalled();
    });

    it.each([
      ['another recipient', { toUserId: 'U-CAROL' }],
      ['another amount', { amount: 1501 }],
      ['another memo', { memo: 'sushi' }],
      ['no memo', { memo: undefined }],
    ])('the same key with %s → idempotency_key_reused', async (_, change) => {
      const { sut, transfers } = replaying();
      transfers.byKey.mockResolvedValue(stored);
      await expect(sut.execute({ ...command, ...change }, scope, body)).rejects.toMatchObject({
        code: 'idempotency_key_reused',
      });
    });

    it('no money row for the key → not_found', async () => {
      const { sut, transfers } = replaying();
      transfers.byKey.mockResolvedValue(undefined);
      await expect(sut.execute(command, scope, body)).rejects.toMatchObject({ code: 'not_found' });
    });
  });
});
