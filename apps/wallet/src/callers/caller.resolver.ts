import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId } from '../db/new-id';
import { type AuthUser, CallerCache, type CallerResolver } from '@paychat/auth';
import { AppError } from '@paychat/errors';
import { selectOne } from '../db/rows';
import { isDuplicateKey } from '../db/sql-errors';
import { inTransaction } from '../db/transaction';
import { AccountsRepository, joinAccountOf } from '../ledger/accounts.repository';
import { inOneRoundTrip } from '../db/statement';
import { UsersRepository } from '../users/users.repository';
import { CognitoProfile } from './cognito-profile';

interface CallerRow {
  user_id: string;
  account_id: string;
  status: string;
}

/**
 * Token subject → our user and wallet account. The first authenticated call provisions both
 * (email and name from Cognito); concurrent first calls race on the identities primary key, and
 * the loser simply reads the winner's rows.
 */
@Injectable()
export class WalletCallerResolver implements CallerResolver {
  private readonly cache = new CallerCache<CallerRow>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly profiles: CognitoProfile,
    private readonly accounts: AccountsRepository,
    private readonly users: UsersRepository,
  ) {}

  async resolve(user: AuthUser): Promise<{ userId: string; accountId: string }> {
    const row = await this.cache.remember(user, () => this.load(user));
    if (row.status !== 'active') throw new AppError('unauthorized', 'This account is disabled');
    return { userId: row.user_id, accountId: String(row.account_id) };
  }

  /** Drops a cached entry (after an admin disables the user). */
  forget(userId: string): void {
    this.cache.forget((row) => row.user_id === userId);
  }

  private async load(user: AuthUser): Promise<CallerRow> {
    return (await this.find(user)) ?? (await this.provision(user));
  }

  private find(user: AuthUser): Promise<CallerRow | undefined> {
    return selectOne<CallerRow>(
      this.dataSource.manager,
      `SELECT u.id AS user_id, a.id AS account_id, u.status FROM identities i
       JOIN users u ON u.id = i.user_id ${joinAccountOf('user', 'u.id')}
       WHERE i.issuer = ? AND i.subject = ?`,
      [user.issuer, user.sub],
    );
  }

  private async provision(user: AuthUser): Promise<CallerRow> {
    const profile = await this.profiles.read(user.accessToken);
    const userId = newId();
    try {
      await inTransaction(this.dataSource, async (m) => {
        const identity = { issuer: user.issuer, subject: user.sub };
        await inOneRoundTrip(m, this.users.newUser(identity, userId, profile));
        await this.accounts.openUserAccount(m, userId, profile.legacyUserId);
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const row = await this.find(user);
    if (!row) throw new Error('provisioned user not found');
    return row;
  }
}
