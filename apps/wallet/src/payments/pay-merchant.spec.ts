import { AppError } from '@paychat/errors';
import type { WalletCaller } from '../callers/wallet-caller';
import { AlreadyApplied, IdempotentOperation } from '../idempotency/idempotent-operation';
import { Ledger } from '../ledger/ledger';
import { fakeSql, newTestService, runsOperations } from '../testing/test-service';
import { MerchantsRepository } from './merchants.repository';
import { PayMerchant } from './pay-merchant.usecase';
import { PaymentsRepository } from './payments.repository';

const alice = { userId: 'U-ALICE', accountId: '11' } as WalletCaller;
const scope = { key: 'key-1', method: 'POST', path: '/v2/wallet/payments' };
const dto = { merchantId: 'M-RAMEN', amount: 480, reference: 'latte' };
const moneyRow = { sql: 'INSERT INTO payments', params: ['money row'] };
const duplicateKey = Object.assign(new Error("Duplicate entry for key 'uq_initiator_key'"), { errno: 1062 });

function setUp(step: 'run' | 'replay' = 'run') {
  const { sut, mock } = newTestService(PayMerchant);
  const db = fakeSql();
  const merchants = mock(MerchantsRepository);
  const payments = mock(PaymentsRepository);
  const ledger = mock(Ledger);
  runsOperations(mock(IdempotentOperation), db.sql, step);
  merchants.accountOf.mockResolvedValue('99');
  payments.insert.mockReturnValue(moneyRow);
  ledger.post.mockResolvedValue(
    new Map([[alice.accountId, { accountId: alice.accountId, seq: 7, balanceAfter: 9520 }]]),
  );
  return { sut, db, merchants, payments, ledger, idempotent: mock(IdempotentOperation) };
}

describe('PayMerchant (unit)', () => {
  it('an unknown merchant → recipient_not_found, with nothing written', async () => {
    const { sut, db, merchants, ledger } = setUp();
    merchants.accountOf.mockResolvedValue(undefined);
    await expect(sut.execute(alice, dto, scope)).rejects.toMatchObject({ code: 'recipient_not_found' });
    expect(merchants.accountOf).toHaveBeenCalledWith(db.sql, dto.merchantId);
    expect(db.query).not.toHaveBeenCalled();
    expect(ledger.post).not.toHaveBeenCalled();
  });

  it('writes the money row on its own round trip, then posts the entry', async () => {
    const { sut, db, payments, ledger } = setUp();
    await sut.execute(alice, dto, scope);
    expect(payments.insert).toHaveBeenCalledWith({
      id: expect.any(String),
      initiatorId: alice.userId,
      idempotencyKey: scope.key,
      merchantId: dto.merchantId,
      amount: 480,
      reference: 'latte',
      createdAt: expect.any(Date),
    });
    expect(db.sent()).toEqual(['INSERT INTO payments']);
    expect(db.query).toHaveBeenCalledWith('INSERT INTO payments', ['money row']);
    expect(db.query.mock.invocationCallOrder[0]).toBeLessThan(ledger.post.mock.invocationCallOrder[0]);
  });

  it('a money row already there for the key is AlreadyApplied, and no money moves', async () => {
    const { sut, db, ledger } = setUp();
    db.query.mockRejectedValueOnce(duplicateKey);
    await expect(sut.execute(alice, dto, scope)).rejects.toBeInstanceOf(AlreadyApplied);
    expect(ledger.post).not.toHaveBeenCalled();
  });

  it("debits the payer under the outflow limits and credits the merchant's account, the reference as memo", async () => {
    const { sut, db, payments, ledger } = setUp();
    await sut.execute(alice, dto, scope);
    expect(ledger.post).toHaveBeenCalledWith(db.sql, {
      kind: 'payment',
      opId: payments.insert.mock.calls[0][0].id,
      legs: [
        {
          accountId: alice.accountId,
          amount: -480,
          type: 'payment',
          counterpartyId: dto.merchantId,
          memo: 'latte',
          ifInactive: 'account_frozen',
          limit: 'outflow',
        },
        {
          accountId: '99',
          amount: 480,
          type: 'payment',
          counterpartyId: alice.userId,
          memo: 'latte',
          ifInactive: 'recipient_unavailable',
        },
      ],
    });
  });

  it("answers 201 with the payment and the payer's balance after it", async () => {
    const { sut, payments } = setUp();
    const result = await sut.execute(alice, { ...dto, reference: undefined }, scope);
    const row = payments.insert.mock.calls[0][0];
    expect(result.status).toBe(201);
    expect(result.body).toEqual({
      id: row.id,
      merchantId: dto.merchantId,
      amount: 480,
      reference: null,
      createdAt: row.createdAt.toISOString(),
      balance: 9520,
    });
  });

  it("the ledger's refusal (a frozen payer) is the answer", async () => {
    const { sut, ledger } = setUp();
    ledger.post.mockRejectedValue(new AppError('account_frozen'));
    await expect(sut.execute(alice, dto, scope)).rejects.toMatchObject({ code: 'account_frozen' });
  });

  it('runs as an idempotent operation of the payer, keyed by the request body', async () => {
    const { sut, idempotent } = setUp();
    await sut.execute(alice, dto, scope);
    expect(idempotent.execute).toHaveBeenCalledWith(alice.userId, scope, dto, expect.anything());
  });

  describe('replay (the key’s cached answer expired)', () => {
    const stored = {
      id: 'P-1',
      merchantId: dto.merchantId,
      amount: 480,
      reference: 'latte',
      createdAt: '2025-01-02T03:04:05.678Z',
      balance: 9520,
    };

    it("answers the payment the key made, with the payer's balance after it, and moves no money", async () => {
      const { sut, db, payments, ledger } = setUp('replay');
      payments.byKey.mockResolvedValue(stored);
      const result = await sut.execute(alice, dto, scope);
      expect(payments.byKey).toHaveBeenCalledWith(db.sql, alice.userId, scope.key, alice.accountId);
      expect(result.status).toBe(201);
      expect(result.body).toEqual(stored);
      expect(ledger.post).not.toHaveBeenCalled();
    });

    it.each([{ merchantId: 'M-SUSHI' }, { amount: 481 }, { reference: 'mocha' }, { reference: undefined }])(
      'the same key with %o changed → idempotency_key_reused',
      async (change) => {
        const { sut, payments } = setUp('replay');
        payments.byKey.mockResolvedValue(stored);
        await expect(sut.execute(alice, { ...dto, ...change }, scope)).rejects.toMatchObject({
          code: 'idempotency_key_reused',
        });
      },
    );

    it('no money row for the key → not_found', async () => {
      const { sut } = setUp('replay');
      await expect(sut.execute(alice, dto, scope)).rejects.toMatchObject({ code: 'not_found' });
    });
  });
});
