import { SET_POSTED_AT } from '../limits/outflow-counters';
import { Limits } from '../limits/limits';
import { fakeSql, newTestService } from '../testing/test-service';
import { AccountsRepository, type LockedAccount } from './accounts.repository';
import { Ledger } from './ledger';
import type { JournalEntry, TrackedLeg } from './ledger.types';
import { SystemAccounts } from './system-accounts';

const account = (id: string, balance: number, extra: Partial<LockedAccount> = {}): LockedAccount => ({
  id,
  balance: String(balance),
  seq: '3',
  status: 'active',
  kyc_level: 'none',
  day_used: '200',
  month_used: '900',
  ...extra,
});

const leg = (accountId: string, amount: number, extra: Partial<TrackedLeg> = {}): TrackedLeg => ({
  accountId,
  amount,
  type: amount < 0 ? 'transfer_out' : 'transfer_in',
  ifInactive: amount < 0 ? 'account_frozen' : 'recipient_unavailable',
  ...extra,
});

const transfer = (amount: number, extra: Partial<JournalEntry> = {}): JournalEntry => ({
  kind: 'transfer',
  opId: 'T-1',
  legs: [leg('22', -amount, { limit: 'outflow' }), leg('11', amount, { limit: 'balance' })],
  ...extra,
});

const balances = { sql: 'UPDATE accounts', params: ['balances'] };

function setUp(locked: LockedAccount[] = [account('11', 0), account('22', 1000)]) {
  const { sut, mock } = newTestService(Ledger);
  const accounts = mock(AccountsRepository);
  accounts.lockForPosting.mockResolvedValue(locked);
  accounts.applyPostings.mockReturnValue(balances);
  mock(SystemAccounts).idOf.mockReturnValue('1');
  return { sut, db: fakeSql(), accounts, limits: mock(Limits) };
}

describe('Ledger (unit)', () => {
  it("locks the entry's accounts and returns its writes unsent: balances, the entry, then its postings", async () => {
    const { sut, db, accounts } = setUp();
    const { writes, posted } = await sut.prepare(db.sql, transfer(300));

    expect(accounts.lockForPosting).toHaveBeenCalledWith(db.sql, ['22', '11']);
    expect(db.query).not.toHaveBeenCalled();
    expect(accounts.applyPostings).toHaveBeenCalledWith([
      { accountId: '22', amount: -300, outflow: 300 },
      { accountId: '11', amount: 300, outflow: 0 },
    ]);
    expect(writes.map((w) => w.sql.split('\n')[0])).toEqual([
      SET_POSTED_AT.split('\n')[0],
      'UPDATE accounts',
      'INSERT INTO journal_entries (kind, op_id) VALUES (?, ?);',
      'INSERT INTO postings (entry_id, account_id, amount, seq, balance_after, op_type, op_id, counterparty_id, memo, created_at)',
    ]);
    expect(writes[2].params).toEqual(['transfer', 'T-1']);
    expect(writes[3].params).toEqual([
      ...['22', -300, 4, 700, 'transfer_out', 'T-1', null, null],
      ...['11', 300, 4, 300, 'transfer_in', 'T-1', null, null],
    ]);
    expect(posted.get('22')).toEqual({ accountId: '22', seq: 4, balanceAfter: 700 });
  });

  it('post sends the writes in one round trip', async () => {
    const { sut, db } = setUp();
    const posted = await sut.post(db.sql, transfer(300));
    expect(db.query).toHaveBeenCalledTimes(1);
    const [sql, params] = db.query.mock.calls[0];
    expect(sql).toMatch(
      /^SET @posted_at[\s\S]*;\nUPDATE accounts;\nINSERT INTO journal_entries[\s\S]*;\nINSERT INTO postings/,
    );
    expect(params).toEqual(expect.arrayContaining(['balances', 'transfer', 'T-1']));
    expect(posted.get('11')?.balanceAfter).toBe(300);
  });

  it('checks the outflow limits with what the day and month used, and the balance limit after the credit', async () => {
    const { sut, db, limits } = setUp();
    await sut.prepare(db.sql, transfer(300));
    expect(limits.checkOutflow).toHaveBeenCalledWith('none', 300, { day: 200, month: 900 });
    expect(limits.checkBalance).toHaveBeenCalledWith('none', 300);
  });

  const frozen = (id: string) => account(id, id === '22' ? 1000 : 0, { status: 'frozen' });
  it.each([
    { refused: 'insufficient funds', entry: transfer(1001), code: 'insufficient_funds' },
    {
      refused: 'a frozen debit',
      entry: transfer(1),
      code: 'account_frozen',
      locked: [account('11', 0), frozen('22')],
    },
    {
      refused: 'a frozen credit',
      entry: transfer(1),
      code: 'recipient_unavailable',
      locked: [frozen('11'), account('22', 1000)],
    },
    {
      refused: 'an unverified withdrawal',
      entry: { ...transfer(1), legs: [leg('22', -1, { requiresVerified: true }), leg('11', 1)] },
      code: 'kyc_required',
    },
  ])('$refused is refused under the locks, before any write', async ({ entry, code, locked }) => {
    const { sut, db, accounts } = setUp(locked);
    await expect(sut.post(db.sql, entry)).rejects.toMatchObject({ code });
    expect(accounts.applyPostings).not.toHaveBeenCalled();
    expect(db.query).not.toHaveBeenCalled();
  });

  it('a reversal may take an account below zero and ignores freezes', async () => {
    const { sut, db } = setUp([frozen('11'), account('22', 100, { status: 'frozen' })]);
    const { posted } = await sut.prepare(db.sql, transfer(500, { allowNegative: true, ignoreStatus: true }));
    expect(posted.get('22')?.balanceAfter).toBe(-400);
  });

  it('a credit completing a pending operation lands on a frozen account', async () => {
    const { sut, db } = setUp([frozen('11')]);
    const entry: JournalEntry = {
      kind: 'charge',
      opId: 'C-1',
      creditInactive: true,
      legs: [{ system: 'bank_clearing', amount: -50, type: 'charge' }, leg('11', 50)],
    };
    const { writes, posted } = await sut.prepare(db.sql, entry);
    expect(posted.get('11')?.balanceAfter).toBe(50);
    // The system account's posting carries no seq or balance: its balance is the sum of its postings.
    expect(writes[3].params.slice(0, 4)).toEqual(['1', -50, null, null]);
  });

  it.each([
    ['an unbalanced entry', { ...transfer(1), legs: [leg('22', -1), leg('11', 2)] }],
    ['a zero leg', { ...transfer(1), legs: [leg('22', 0), leg('11', 0)] }],
    ['two legs on one account', { ...transfer(1), legs: [leg('11', -1), leg('11', 1)] }],
  ])('%s is a bug: thrown before any lock', async (_, entry) => {
    const { sut, db, accounts } = setUp();
    await expect(sut.prepare(db.sql, entry)).rejects.toThrow(Error);
    expect(accounts.lockForPosting).not.toHaveBeenCalled();
  });
});
