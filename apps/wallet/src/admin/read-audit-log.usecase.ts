import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PageQuery } from '@paychat/platform';
import { Audit } from './audit';

/** One page of the audit log, newest first. */
@Injectable()
export class ReadAuditLog {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: Audit,
  ) {}

  execute(page: PageQuery) {
    return this.audit.page(this.dataSource.manager, page.limit, page.cursor);
  }
}
