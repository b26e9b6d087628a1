import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditLogQuery } from './admin.dto';
import { Audit } from './audit';

/** One page of the audit log, newest first, optionally narrowed by actor, action, target and time. */
@Injectable()
export class ReadAuditLog {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: Audit,
  ) {}

  execute(q: AuditLogQuery) {
    return this.audit.page(this.dataSource.manager, q.limit, q.cursor, {
      actorId: q.actorId,
      action: q.action,
      targetId: q.targetId,
      from: q.from === undefined ? undefined : new Date(q.from),
      to: q.to === undefined ? undefined : new Date(q.to),
    });
  }
}
