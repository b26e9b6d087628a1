import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PageQuery } from '@paychat/platform';
import { BankAccountsRepository } from '../bank-accounts/bank-accounts.repository';
import { ListTransactions } from '../wallet/list-transactions.usecase';
import { ViewWallet } from '../wallet/view-wallet.usecase';
import type { AdminUserDetail } from './admin.dto';
import { AdminUsersRepository } from './admin-users.repository';
import { Audit, type AdminContext } from './audit';

/** An operator's reads of personal data, each recorded in the audit log. */
@Injectable()
export class AuditedUserReads {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: AdminUsersRepository,
    private readonly listTransactions: ListTransactions,
    private readonly audit: Audit,
    private readonly viewWallet: ViewWallet,
    private readonly bankAccounts: BankAccountsRepository,
  ) {}

  async search(who: AdminContext, query: string) {
    await this.audit.record(this.dataSource.manager, who, {
      action: 'user.search',
      targetType: 'user',
      details: { query },
    });
    return { items: await this.users.search(this.dataSource.manager, query), nextCursor: null };
  }

  /**
   * The user with the limits left and the bank accounts (masked) from the user's own views; an
   * unknown user is a 404 before anything is audited, as for the history.
   */
  async one(who: AdminContext, userId: string): Promise<AdminUserDetail> {
    const m = this.dataSource.manager;
    const user = await this.users.one(m, userId);
    await this.audit.record(m, who, { action: 'user.read', targetType: 'user', targetId: userId });
    const [{ limits }, bankAccounts] = await Promise.all([
      this.viewWallet.ofAccount(user.wallet.accountId),
      this.bankAccounts.list(m, userId),
    ]);
    return { ...user, limits, bankAccounts };
  }

  /** A user's history; an unknown user is a 404 before anything is audited. */
  async transactions(who: AdminContext, userId: string, page: PageQuery) {
    const user = await this.users.one(this.dataSource.manager, userId);
    await this.audit.record(this.dataSource.manager, who, {
      action: 'user.transactions.read',
      targetType: 'user',
      targetId: userId,
    });
    return this.listTransactions.execute(user.wallet.accountId, page);
  }
}
