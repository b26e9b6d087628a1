import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PageQuery } from '@paychat/platform';
import { ListTransactions } from '../wallet/list-transactions.usecase';
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
  ) {}

  async search(who: AdminContext, query: string) {
    await this.audit.record(this.dataSource.manager, who, {
      action: 'user.search',
      targetType: 'user',
      details: { query },
    });
    return { items: await this.users.search(this.dataSource.manager, query), nextCursor: null };
  }

  async one(who: AdminContext, userId: string) {
    await this.audit.record(this.dataSource.manager, who, {
      action: 'user.read',
      targetType: 'user',
      targetId: userId,
    });
    return this.users.one(this.dataSource.manager, userId);
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
