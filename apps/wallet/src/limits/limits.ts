import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@paychat/errors';
import { APP_CONFIG } from '@paychat/platform';
import type { Sql } from '../db/sql';
import { AccountsRepository } from '../ledger/accounts.repository';
import type { WalletEnv } from '../wallet.env';
import { jstPeriods, KycLevel, KycLimits, LevelLimits, parseKycLimits } from './kyc-limits';
import type { OutflowUsed } from './outflow-counters';

export interface LimitsView {
  perOperation: number;
  daily: { limit: number; remaining: number; resetsAt: string };
  monthly: { limit: number; remaining: number; resetsAt: string };
  maxBalance: number;
}

export const limitExceeded = (what: string) =>
  new AppError('limit_exceeded', `This would exceed your ${what} limit`);

export const isLimitExceeded = (err: unknown): boolean =>
  err instanceof AppError && err.code === 'limit_exceeded';

/**
 * KYC limits from config (KYC_LIMITS). Outflow and balance checks run inside the money transaction
 * on the locked account row (its outflow counters: outflow-counters.ts), so concurrent operations
 * of one user are counted one after another.
 */
@Injectable()
export class Limits {
  private readonly limits: KycLimits;

  constructor(
    @Inject(APP_CONFIG) config: WalletEnv,
    private readonly accounts: AccountsRepository,
  ) {
    this.limits = parseKycLimits(config.KYC_LIMITS);
  }

  of(level: KycLevel): LevelLimits {
    return this.limits[level] ?? this.limits.none;
  }

  /** `used`: this JST day's and month's outflows so far, read with the account's row lock. */
  checkOutflow(level: KycLevel, amount: number, used: OutflowUsed): void {
    const limits = this.of(level);
    if (amount > limits.perOperation) throw limitExceeded('per-operation');
    if (used.day + amount > limits.daily) throw limitExceeded('daily');
    if (used.month + amount > limits.monthly) throw limitExceeded('monthly');
  }

  /**
   * Before money is pulled in (bank or ATM charge): an active wallet, per-operation and max-balance
   * room. An early, unlocked refusal only: the credit itself checks the maximum balance under the lock.
   */
  async assertCanReceive(m: Sql, accountId: string, amount: number): Promise<void> {
    const account = await this.accounts.receiving(m, accountId);
    if (account?.status !== 'active') throw new AppError('account_frozen');
    if (amount > this.of(account.kycLevel).perOperation) throw limitExceeded('per-operation');
    this.checkBalance(account.kycLevel, account.balance + amount);
  }

  checkBalance(level: KycLevel, balanceAfter: number): void {
    if (balanceAfter > this.of(level).maxBalance) throw limitExceeded('maximum balance');
  }

  view(level: KycLevel, used: OutflowUsed, now = new Date()): LimitsView {
    const limits = this.of(level);
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
}
