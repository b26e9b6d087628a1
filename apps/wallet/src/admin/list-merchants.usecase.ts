import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PageQuery } from '@paychat/platform';
import { MerchantsRepository } from '../payments/merchants.repository';

/** The merchants, newest first, with their accounts. */
@Injectable()
export class ListMerchants {
  constructor(
    private readonly dataSource: DataSource,
    private readonly merchants: MerchantsRepository,
  ) {}

  execute(page: PageQuery) {
    return this.merchants.page(this.dataSource.manager, page.limit, page.cursor);
  }
}
