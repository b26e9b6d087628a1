import { Injectable } from '@nestjs/common';
import type { Sql } from '../db/sql';
import { AppError } from '@paychat/errors';
import { placeholders } from '../db/placeholders';
import { toSafeInt } from '../db/rows';
import { Limits } from '../limits/limits';
import { isOutflow, outflowUsed, SET_POSTED_AT } from '../limits/outflow-counters';
import { AccountsRepository } from './accounts.repository';
import { MoneyMetrics } from './money-metrics';
import { SystemAccounts } from './system-accounts';
import type { JournalEntry, PostedLeg, PreparedEntry, TrackedLeg } from './ledger.types';
import { inOneRoundTrip, type Statement } from '../db/statement';

const isTracked = (leg: JournalEntry['legs'][number]): leg is TrackedLeg => 'accountId' in leg;

/**
 * Posts one balanced journal entry inside the caller's transaction: locks the user/merchant
 * accounts in id order (no deadlock between opposite transfers), checks status and funds under
 * those locks; its writes then go in one round trip (post, or the caller's own batch after prepare):
 * balance, seq and the outflow counters, the entry and its postings (created_at = the counters'
 * instant, see outflow-counters.ts). System accounts are never locked or updated: their balance is
 * the sum of their postings.
 */
@Injectable()
export class Ledger {
  constructor(
    private readonly systemAccounts: SystemAccounts,
    private readonly limits: Limits,
    private readonly accounts: AccountsRepository,
    private readonly money: MoneyMetrics,
  ) {}

  /** For an operation with nothing else to send in the entry's round trip: prepare, then its writes alone. */
  async post(m: Sql, entry: JournalEntry): Promise<Map<string, PostedLeg>> {
    const { writes, posted } = await this.prepare(m, entry);
    await inOneRoundTrip(m, writes);
    return posted;
  }

  /**
   * Locks and checks the entry's accounts (its own round trip) and returns its writes unsent, for
   * the caller to send in one round trip with its other writes (e.g. the outbox event). A refusal
   * throws before anything of the entry is written.
   */
  async prepare(m: Sql, entry: JournalEntry): Promise<PreparedEntry> {
    if (entry.legs.some((l) => !Number.isSafeInteger(l.amount) || l.amount === 0))
      throw new Error('legs must be non-zero integers');
    if (entry.legs.reduce((sum, l) => sum + l.amount, 0) !== 0)
      throw new Error(`entry ${entry.kind} does not balance`);
    const tracked = entry.legs.filter(isTracked);
    if (new Set(tracked.map((l) => l.accountId)).size !== tracked.length)
      throw new Error('one leg per account');

    const posted = await this.lockAndCheck(m, entry, tracked);
    this.money.countMovedAtCommit(m, entry);
    return { writes: this.writes(entry, tracked, posted), posted };
  }

  /** The posting instant first: the counters' periods and the postings' created_at are stamped from it. */
  private writes(entry: JournalEntry, tracked: TrackedLeg[], posted: Map<string, PostedLeg>): Statement[] {
    const postings = entry.legs.map((leg) => {
      const accountId = isTracked(leg) ? leg.accountId : this.systemAccounts.idOf(leg.system);
      const after = posted.get(accountId);
      return [
        accountId,
        leg.amount,
        after?.seq ?? null,
        after?.balanceAfter ?? null,
        leg.type,
        entry.opId,
        leg.counterpartyId ?? null,
        leg.memo ?? null,
      ];
    });
    const balances = tracked.map((l) => ({
      accountId: l.accountId,
      amount: l.amount,
      outflow: isOutflow(l) ? -l.amount : 0,
    }));
    return [
      { sql: SET_POSTED_AT, params: [] },
      ...(balances.length ? [this.accounts.applyPostings(balances)] : []),
      {
        sql: `INSERT INTO journal_entries (kind, op_id) VALUES (?, ?);
       SET @entry_id = LAST_INSERT_ID()`,
        params: [entry.kind, entry.opId],
      },
      {
        sql: `INSERT INTO postings (entry_id, account_id, amount, seq, balance_after, op_type, op_id, counterparty_id, memo, created_at)
       VALUES ${placeholders(postings.length, '(@entry_id, ?, ?, ?, ?, ?, ?, ?, ?, @posted_at)')}`,
        params: postings.flat(),
      },
    ];
  }

  private async lockAndCheck(
    m: Sql,
    entry: JournalEntry,
    legs: TrackedLeg[],
  ): Promise<Map<string, PostedLeg>> {
    const posted = new Map<string, PostedLeg>();
    if (legs.length === 0) return posted;
    const locked = await this.accounts.lockForPosting(
      m,
      legs.map((l) => l.accountId),
    );
    const byId = new Map(locked.map((a) => [String(a.id), a]));
    for (const leg of legs) {
      const account = byId.get(leg.accountId);
      if (!account) throw new Error(`account ${leg.accountId} does not exist`);
      const isDebit = leg.amount < 0;
      if (account.status !== 'active' && !entry.ignoreStatus && (isDebit || !entry.creditInactive))
        throw new AppError(leg.ifInactive);
      const balanceAfter = toSafeInt(account.balance) + leg.amount;
      if (isDebit && balanceAfter < 0 && !entry.allowNegative) throw new AppError('insufficient_funds');
      const level = account.kyc_level ?? 'none';
      if (leg.requiresVerified && level !== 'verified')
        throw new AppError('kyc_required', 'Verify your identity to withdraw');
      if (leg.limit === 'outflow') this.limits.checkOutflow(level, -leg.amount, outflowUsed(account));
      if (leg.limit === 'balance') this.limits.checkBalance(level, balanceAfter);
      posted.set(leg.accountId, { accountId: leg.accountId, seq: toSafeInt(account.seq) + 1, balanceAfter });
    }
    return posted;
  }
}
