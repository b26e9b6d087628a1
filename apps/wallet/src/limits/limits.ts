import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@paychat/errors';
import { APP_CONFIG } from '@paychat/platform';
import { selectOne, toSafeInt } from '../db/rows';
import type { Sql } from '../db/sql';
import type { WalletEnv } from '../wallet.env';
import { jstPeriods, KycLevel, KycLimits, LevelLimits, parseKycLimits } from './kyc-limits';

export interface LimitsView {
  perOperation: number;
  daily: { limit: number; remaining: number; resetsAt: string };
  monthly: { limit: number; remaining: number; resetsAt: string };
  maxBalance: number;
}

const OUTFLOWS = `'transfer_out', 'payment', 'withdrawal'`;
const exceeded = (what: string) => new AppError('limit_exceeded', `This would exceed your ${what} limit`);

/**
 * KYC limits from config (KYC_LIMITS). Outflow checks run inside the money transaction after the
 * account row is locked, so concurrent operations of one user are counted one after another.
 */
@Injectable()
export class Limits {
  private readonly limits: KycLimits;

  constructor(@Inject(APP_CONFIG) config: WalletEnv) {
    this.limits = parseKycLimits(config.KYC_LIMITS);
  }

  of(level: KycLevel): LevelLimits {
    return this.limits[level] ?? this.limits.none;
  }

  async checkOutflow(
    m: Sql,
    accountId: string,
    level: KycLevel,
    amount: number,
    now = new Date(),
  ): Promise<void> {
    const limits = this.of(level);
    if (amount > limits.perOperation) throw exceeded('per-operation');
    const used = await this.used(m, accountId, now);
    if (used.day + amount > limits.daily) throw exceeded('daily');
    if (used.month + amount > limits.monthly) throw exceeded('monthly');
  }

  /** Before money is pulled in (bank or ATM charge): an active wallet, per-operation and max-balance room. */
  async assertCanReceive(m: Sql, accountId: string, amount: number): Promise<void> {
    const account = await selectOne<{ status: string; balance: string; kyc_level: KycLevel }>(
      m,
      'SELECT a.status, a.balance, u.kyc_level FROM accounts a JOIN users u ON u.id = a.owner_id WHERE a.id = ?',
      [accountId],
    );
    if (account?.status !== 'active') throw new AppError('account_frozen');
    if (amount > this.of(account.kyc_level).perOperation) throw exceeded('per-operation');
    this.checkBalance(account.kyc_level, toSafeInt(account.balance) + amount);
  }

  checkBalance(level: KycLevel, balanceAfter: number): void {
    if (balanceAfter > this.of(level).maxBalance) throw exceeded('maximum balance');
  }

  async view(m: Sql, accountId: string, level: KycLevel, now = new Date()): Promise<LimitsView> {
    const limits = this.of(level);
    const used = await this.used(m, accountId, now);
    const { dayStart, monthStart } = jstPeriods(now);
    const nextDay = new Date(dayStart.getTime() + 86_400_000);
    const nextMonth = jstPeriods(new Date(monthStart.getTime() + 32 * 86_400_000)).monthStart;
    return {
      perOperation: limits.perOperation,
      daily: {
        limit: limits.daily,
        remaining: Math.max(0, limits.daily - used.day),
        resetsAt: nextDay.toISOString(),
      },
      monthly: {
        limit: limits.monthly,
        remaining: Math.max(0, limits.monthly - used.month),
        resetsAt: nextMonth.toISOString(),
      },
      maxBalance: limits.maxBalance,
    };
  }

  /** Outflows this JST day and month (index ix_postings_account_time). */
  private async used(m: Sql, accountId: string, now: Date): Promise<{ day: number; month: number }> {
    const { dayStart, monthStart } = jstPeriods(now);
    const row = await selectOne<{ day: string | null; month: string | null }>(
      m,
      `SELECT SUM(CASE WHEN created_at >= ? THEN -amount END) AS day, SUM(-amount) AS month FROM postings
       WHERE account_id = ? AND created_at >= ? AND amount < 0 AND op_type IN (${OUTFLOWS})`,
      [dayStart, accountId, monthStart],
    );
    return { day: toSafeInt(row?.day ?? 0), month: toSafeInt(row?.month ?? 0) };
  }
}
