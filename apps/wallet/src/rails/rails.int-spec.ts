import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { checkLedger, HEALTHY } from '../testing/ledger-invariants';
import { TestWalletUser, WalletHarness } from '../../../../test/harness/wallet-harness';
import { RecoveryJob } from './recovery.job';

describe('bank accounts and rails (charges, withdrawals) with the bank simulator', () => {
  let w: WalletHarness;
  beforeAll(async () => (w = await WalletHarness.start()));
  afterAll(() => w.stop());
  afterEach(() => {
    w.bank.options = { latencyMs: 0, declineRate: 0, timeoutRate: 0 };
  });

  const rail = (
    user: TestWalletUser,
    kind: 'charges' | 'withdrawals',
    amount: number,
    key: string = randomUUID(),
  ) =>
    w.call('POST', `/v2/wallet/${kind}`, {
      token: user.token,
      key,
      body: { amount, bankAccountId: user.bankAccountId },
    });

  describe('bank accounts', () => {
    it('links a verified account showing only the last four digits, stored encrypted', async () => {
      const u = await w.user();
      const list = await w.call('GET', '/v2/wallet/bank-accounts', { token: u.token });
      expect(list.body.items).toEqual([
        expect.objectContaining({ id: u.bankAccountId, bankCode: '0001', last4: '4567', status: 'verified' }),
      ]);
      expect(JSON.stringify(list.body)).not.toContain('1234567');
      const [[row]] = (await w.db.query('SELECT account_number_enc FROM bank_accounts WHERE id = ?', [
        u.bankAccountId,
      ])) as unknown as [[{ account_number_enc: Buffer }]];
      expect(row.account_number_enc.toString('latin1')).not.toContain('1234567');
    });

    it("hides another user's bank account (404) for reading, charging and deleting", async () => {
      const owner = await w.user();
      const other = await w.user();
      const res = await w.call('POST', '/v2/wallet/charges', {
        token: other.token,
        key: randomUUID(),
        body: { amount: 100, bankAccountId: owner.bankAccountId },
      });
      expect(res.status).toBe(404);
      expect(
        (await w.call('DELETE', `/v2/wallet/bank-accounts/${owner.bankAccountId}`, { token: other.token }))
          .status,
      ).toBe(404);
      expect(
        (await w.call('DELETE', `/v2/wallet/bank-accounts/${ulid()}`, { token: other.token })).status,
      ).toBe(404);
    });

    it('refuses bad account details with 400 and deletes softly', async () => {
      const u = await w.user();
      const bad = await w.call('POST', '/v2/wallet/bank-accounts', {
        token: u.token,
        body: { bankCode: '12', branchCode: '123', accountNumber: '12345678', holderName: 'X' },
      });
      expect(bad.status).toBe(400);
      expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
        'accountNumber',
        'bankCode',
      ]);
      expect(
        (await w.call('DELETE', `/v2/wallet/bank-accounts/${u.bankAccountId}`, { token: u.token })).status,
      ).toBe(204);
      expect((await w.call('GET', '/v2/wallet/bank-accounts', { token: u.token })).body.items).toEqual([]);
      expect(await w.count('SELECT COUNT(*) n FROM bank_accounts WHERE id = ?', [u.bankAccountId])).toBe(1);
      expect((await rail(u, 'charges', 100)).status).toBe(404);
    });

    it('refuses an unverified account with 422 bank_account_not_verified', async () => {
      const u = await w.user();
      await w.db.query(`UPDATE bank_accounts SET status = 'pending_verification' WHERE id = ?`, [
        u.bankAccountId,
      ]);
      const res = await rail(u, 'charges', 100);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('bank_account_not_verified');
    });
  });

  it('a charge credits the wallet once the bank approves', async () => {
    const u = await w.user();
    const res = await rail(u, 'charges', 3_000);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'completed', amount: 3_000, balance: 3_000 });
  });

  it('a declined charge moves nothing and is answered 422 bank_declined (also on replay)', async () => {
    const u = await w.user();
    w.bank.options.declineRate = 1;
    const key = randomUUID();
    const res = await rail(u, 'charges', 3_000, key);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('bank_declined');
    expect((await rail(u, 'charges', 3_000, key)).body.code).toBe('bank_declined');
    expect(await w.balance(u)).toBe(0);
    expect(
      await w.count(`SELECT COUNT(*) n FROM charges WHERE initiator_id = ? AND status = 'failed'`, [
        u.userId,
      ]),
    ).toBe(1);
  });

  it('a bank timeout leaves the charge pending (202); the recovery job completes it exactly once', async () => {
    const u = await w.user();
    w.bank.options.timeoutRate = 1;
    const key = randomUUID();
    const res = await rail(u, 'charges', 2_500, key);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'pending', amount: 2_500 });
    expect(await w.balance(u)).toBe(0);
    // A retry with the same key does not submit again: it reports the pending state.
    const retry = await rail(u, 'charges', 2_500, key);
    expect(retry.status).toBe(202);
    const processedBefore = w.bank.processed;

    w.bank.options.timeoutRate = 0;
    const recovery = w.app.get(RecoveryJob);
    await Promise.all([recovery.runOnce(), recovery.runOnce(), recovery.runOnce()]);
    await recovery.runOnce();
    expect(await w.balance(u)).toBe(2_500);
    expect(await w.count('SELECT COUNT(*) n FROM postings WHERE op_id = ?', [res.body.id])).toBe(2);
    expect(w.bank.processed).toBe(processedBefore); // asked getStatus, never resubmitted
    expect(await checkLedger(w.db)).toEqual(HEALTHY);
  });

  describe('the maximum balance, checked under the lock when a charge settles', () => {
    /** ¥950,000 in ten charges (each within the per-operation limit). */
    const at950k = async () => {
      const u = await w.user();
      for (let i = 0; i < 10; i++) expect((await rail(u, 'charges', 95_000)).status).toBe(201);
      return u;
    };
    const refused = async (u: TestWalletUser) =>
      (await w.db.query(
        `SELECT id, void_status FROM charges WHERE initiator_id = ? AND status = 'failed' AND failure_reason = 'limit_exceeded'`,
        [u.userId],
      )) as unknown as [{ id: string; void_status: string }[]];

    it('of 8 concurrent ¥50,000 charges at ¥950,000, one completes; the rest fail and are voided at the bank', async () => {
      const u = await at950k();
      w.bank.options.latencyMs = 200; // all eight start (an unlocked check) before any settles
      const keys = Array.from({ length: 8 }, () => randomUUID());
      const answers = await Promise.all(keys.map((key) => rail(u, 'charges', 50_000, key)));
      expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
      const failed = answers.filter((a) => a.status === 422);
      expect(failed).toHaveLength(7);
      expect(failed.every((a) => a.body.code === 'limit_exceeded')).toBe(true);
      expect(await w.balance(u)).toBe(1_000_000);

      const [rows] = await refused(u);
      expect(rows).toHaveLength(7);
      expect(rows.every((r) => r.void_status === 'voided')).toBe(true);
      expect(rows.every((r) => w.bank.voided.has(r.id))).toBe(true);
      const replay = await rail(u, 'charges', 50_000, keys[answers.indexOf(failed[0])]);
      expect(replay.body.code).toBe('limit_exceeded');
      expect(await checkLedger(w.db)).toEqual(HEALTHY);
    });

    it('a void the bank does not confirm stays owed; the recovery job asks again until it does', async () => {
      const u = await at950k();
      w.bank.options.timeoutRate = 1;
      expect((await rail(u, 'charges', 50_000)).status).toBe(202); // the bank took it; we never heard
      w.bank.options.timeoutRate = 0;
      expect((await rail(u, 'charges', 50_000)).status).toBe(201);
      expect(await w.balance(u)).toBe(1_000_000);

      const recovery = w.app.get(RecoveryJob);
      w.bank.options.timeoutRate = 1; // now the void's answer is lost
      await recovery.runOnce();
      const [[owed]] = await refused(u);
      expect(owed.void_status).toBe('owed');
      expect(await w.balance(u)).toBe(1_000_000);

      w.bank.options.timeoutRate = 0;
      await recovery.runOnce();
      const [[voided]] = await refused(u);
      expect(voided).toEqual({ id: owed.id, void_status: 'voided' });
      expect(w.bank.voided.has(owed.id)).toBe(true);
      expect(await checkLedger(w.db)).toEqual(HEALTHY);
    });
  });

  it("a withdrawal's money is held while pending and cannot be spent; approval pays it out", async () => {
    const u = await w.user(5_000, { verified: true });
    const friend = await w.user();
    w.bank.options.timeoutRate = 1;
    const res = await rail(u, 'withdrawals', 4_000);
    expect(res.status).toBe(202);
    expect(await w.balance(u)).toBe(1_000);
    const spend = await w.call('POST', '/v2/wallet/transfers', {
      token: u.token,
      key: randomUUID(),
      body: { toUserId: friend.userId, amount: 2_000 },
    });
    expect(spend.body.code).toBe('insufficient_funds');
    const history = await w.call('GET', '/v2/wallet/transactions', { token: u.token });
    expect((history.body.items as object[])[0]).toMatchObject({
      type: 'withdrawal',
      status: 'pending',
      amount: -4_000,
    });

    w.bank.options.timeoutRate = 0;
    await w.app.get(RecoveryJob).runOnce();
    const after = await w.call('GET', '/v2/wallet/transactions', { token: u.token });
    expect((after.body.items as object[])[0]).toMatchObject({ type: 'withdrawal', status: 'completed' });
    expect(await w.balance(u)).toBe(1_000);
    expect(await checkLedger(w.db)).toEqual(HEALTHY);
  });

  it('a declined withdrawal releases the hold back to the wallet', async () => {
    const u = await w.user(5_000, { verified: true });
    w.bank.options.declineRate = 1;
    const res = await rail(u, 'withdrawals', 4_000);
    expect(res.body.code).toBe('bank_declined');
    expect(await w.balance(u)).toBe(5_000);
    expect(await checkLedger(w.db)).toEqual(HEALTHY);
  });

  it('a decline the recovery job learns is recorded: the withdrawal fails and its hold goes back', async () => {
    const u = await w.user(5_000, { verified: true });
    Object.assign(w.bank.options, { declineRate: 1, timeoutRate: 1 });
    expect((await rail(u, 'withdrawals', 4_000)).status).toBe(202);
    w.bank.options.timeoutRate = 0;
    await w.app.get(RecoveryJob).runOnce();
    expect(await w.balance(u)).toBe(5_000);
    expect(
      await w.count(`SELECT COUNT(*) n FROM withdrawals WHERE initiator_id = ? AND status = 'failed'`, [
        u.userId,
      ]),
    ).toBe(1);
    expect(await checkLedger(w.db)).toEqual(HEALTHY);
  });

  it('refuses a withdrawal beyond the balance and deleting a bank account with a pending operation', async () => {
    const u = await w.user(100, { verified: true });
    expect((await rail(u, 'withdrawals', 101)).body.code).toBe('insufficient_funds');
    w.bank.options.timeoutRate = 1;
    expect((await rail(u, 'withdrawals', 50)).status).toBe(202);
    const del = await w.call('DELETE', `/v2/wallet/bank-accounts/${u.bankAccountId}`, { token: u.token });
    expect(del.status).toBe(409);
    expect(del.body.code).toBe('bank_account_in_use');
  });
});
