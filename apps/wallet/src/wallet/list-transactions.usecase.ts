import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Page, PageQuery } from '@paychat/platform';
import { HistoryRepository } from './history.repository';
import type { TransactionView } from './wallet.dto';

/** One page of an account's history, newest first. */
@Injectable()
export class ListTransactions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly history: HistoryRepository,
  ) {}

  execute(accountId: string, page: PageQuery): Promise<Page<TransactionView>> {
    return this.history.page(this.dataSource.manager, accountId, page.limit, page.cursor);
  }
}
