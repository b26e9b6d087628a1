import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError } from '@paychat/errors';
import { toSafeInt } from '../db/rows';
import { SystemAccounts } from './system-accounts';
import type { JournalEntry, PostedLeg, TrackedLeg } from './ledger.types';

interface LockedAccount {
  id: string;
  balance: string;
  seq: string;
  status: string;
}

const isTracked = (leg: JournalEntry['legs'][number]): leg is TrackedLeg => 'accountId' in leg;

/**
 * Posts one balanced journal entry inside the caller's transaction: locks the user/merchant
 * accounts in id order (no deadlock between opposite transfers), checks status and funds under
 * those locks, bumps balance and seq in one UPDATE, and writes the entry and its postings.
 * System accounts are never locked or updated: their balance is the sum of their postings.
 */
@Injectable()
export class Ledger {
  constructor(private readonly systemAccounts: SystemAccounts) {}

  async post(m: EntityManager, entry: JournalEntry): Promise<Map<string, PostedLeg>> {
    if (entry.legs.some((l) => !Number.isSafeInteger(l.amount) || l.amount === 0))
      throw new Error('legs must be non-zero integers');
    if (entry.legs.reduce((sum, l) => sum + l.amount, 0) !== 0)
      throw new Error(`entry ${entry.kind} does not balance`);
    const tracked = entry.legs.filter(isTracked);
    if (new Set(tracked.map((l) => l.accountId)).size !== tracked.length)
      throw new Error('one leg per account');

    const posted = await this.applyToAccounts(m, entry, tracked);
    const inserted = (await m.query('INSERT INTO journal_entries (kind, op_id) VALUES (?, ?)', [
      entry.kind,
      entry.opId,
    ])) as {
      insertId: number;
    };
    const rows = entry.legs.map((leg) => {
      const accountId = isTracked(leg) ? leg.accountId : this.systemAccounts.idOf(leg.system);
      const after = posted.get(accountId);
      return [
        inserted.insertId,
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
    await m.query(
      `INSERT INTO postings (entry_id, account_id, amount, seq, balance_after, op_type, op_id, counterparty_id, memo) VALUES ${rows
        .map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .join(', ')}`,
      rows.flat(),
    );
    return posted;
  }

  private async applyToAccounts(
    m: EntityManager,
    entry: JournalEntry,
    legs: TrackedLeg[],
  ): Promise<Map<string, PostedLeg>> {
    if (legs.length === 0) return new Map();
    const ids = legs.map((l) => l.accountId).sort((a, b) => Number(a) - Number(b));
    const locked = (await m.query(
      `SELECT id, balance, seq, status FROM accounts WHERE id IN (${ids.map(() => '?').join(', ')}) ORDER BY id FOR UPDATE`,
      ids,
    )) as LockedAccount[];
    const byId = new Map(locked.map((a) => [String(a.id), a]));
    const posted = new Map<string, PostedLeg>();
    for (const leg of legs) {
      const account = byId.get(leg.accountId);
      if (!account) throw new Error(`account ${leg.accountId} does not exist`);
      const isDebit = leg.amount < 0;
      if (account.status !== 'active' && (isDebit || !entry.creditInactive))
        throw new AppError(leg.ifInactive);
      const balanceAfter = toSafeInt(account.balance) + leg.amount;
      if (isDebit && balanceAfter < 0 && !entry.allowNegative) throw new AppError('insufficient_funds');
      posted.set(leg.accountId, { accountId: leg.accountId, seq: toSafeInt(account.seq) + 1, balanceAfter });
    }
    await m.query(
      `UPDATE accounts SET balance = balance + CASE id ${legs.map(() => 'WHEN ? THEN ?').join(' ')} END, seq = seq + 1
       WHERE id IN (${legs.map(() => '?').join(', ')})`,
      [...legs.flatMap((l) => [l.accountId, l.amount]), ...legs.map((l) => l.accountId)],
    );
    return posted;
  }
}
