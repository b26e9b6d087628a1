import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { newId } from '../db/new-id';
import { type AuthUser, CallerCache, type CallerResolver } from '@paychat/auth';
import { AppError } from '@paychat/errors';
import { selectOne } from '../db/rows';
import { isDuplicateKey } from '../db/sql-errors';
import { inTransaction } from '../db/transaction';
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
       JOIN users u ON u.id = i.user_id JOIN accounts a ON a.kind = 'user' AND a.owner_id = u.id
       WHERE i.issuer = ? AND i.subject = ?`,
      [user.issuer, user.sub],
    );
  }

  /**
   * A user who came from the legacy app claims the account their balance was imported into — a
   * conditional update, so an imported balance is claimed once and only by its owner (the legacy id
   * comes from a Cognito attribute no app client may write). Everyone else, and a legacy user whose
   * balance is not imported yet (the import then credits this account), gets a new one.
   */
  private async openAccount(m: EntityManager, userId: string, legacyUserId?: number): Promise<void> {
    if (legacyUserId !== undefined) {
      const claimed = (await m.query(
        `UPDATE accounts SET owner_id = ? WHERE kind = 'user' AND legacy_user_id = ? AND owner_id IS NULL`,
        [userId, legacyUserId],
      )) as { affectedRows: number };
      if (claimed.affectedRows === 1) return;
    }
    await m.query(`INSERT INTO accounts (kind, owner_id, legacy_user_id) VALUES ('user', ?, ?)`, [
      userId,
      legacyUserId ?? null,
    ]);
  }

  private async provision(user: AuthUser): Promise<CallerRow> {
    const profile = await this.profiles.read(user.accessToken);
    const userId = newId();
    try {
      await inTransaction(this.dataSource, async (m) => {
        await m.query('INSERT INTO identities (issuer, subject, user_id) VALUES (?, ?, ?)', [
          user.issuer,
          user.sub,
          userId,
        ]);
        await m.query('INSERT INTO users (id, email, display_name, legacy_user_id) VALUES (?, ?, ?, ?)', [
          userId,
          profile.email,
          profile.name,
          profile.legacyUserId ?? null,
        ]);
        await this.openAccount(m, userId, profile.legacyUserId);
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const row = await this.find(user);
    if (!row) throw new Error('provisioned user not found');
    return row;
  }
}
