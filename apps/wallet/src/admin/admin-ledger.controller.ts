import { Body, Controller, Get, Header, Param, Post, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AdminOnly } from '@paychat/auth';
import { toSafeInt } from '../db/rows';
import { Idempotency, type IdempotencyScope } from '../idempotency/idempotency-key.decorator';
import { IdParams } from '../transfers/transfers.dto';
import { decodeCursor, encodeCursor, PageQuery } from '@paychat/platform';
import { ReasonDto } from './admin.dto';
import { Admin, type AdminContext } from './audit';
import { ReverseTransfer } from './reverse-transfer.usecase';

interface AuditRow {
  id: string;
  actor_id: string;
  action: string;
  target_type: string;
  target_id: string | null;
  request_id: string;
  details: string | null;
  created_at: Date;
}

/** The audit entry id to continue below. */
interface AuditCursor {
  id: number;
}

@AdminOnly()
@Controller('admin/v2')
export class AdminLedgerController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reverseTransfer: ReverseTransfer,
  ) {}

  @Post('transfers/:id/reversals')
  reverse(
    @Admin() who: AdminContext,
    @Param() p: IdParams,
    @Idempotency() scope: IdempotencyScope,
    @Body() dto: ReasonDto,
  ) {
    return this.reverseTransfer.execute(who, p.id, dto.reason, scope);
  }

  /** Newest first; the cursor holds the last id seen. */
  @Get('audit-log')
  @Header('cache-control', 'no-store')
  async auditLog(@Query() page: PageQuery) {
    const below = page.cursor
      ? decodeCursor<AuditCursor>(page.cursor, (c) => Number.isSafeInteger(c.id)).id
      : Number.MAX_SAFE_INTEGER;
    const rows = (await this.dataSource.query(
      'SELECT id, actor_id, action, target_type, target_id, request_id, details, created_at FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?',
      [below, page.limit + 1],
    )) as AuditRow[];
    const items = rows.slice(0, page.limit).map((r) => ({
      id: String(r.id),
      actorId: r.actor_id,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      requestId: r.request_id,
      details: r.details ? (JSON.parse(r.details) as unknown) : null,
      createdAt: new Date(r.created_at).toISOString(),
    }));
    return {
      items,
      nextCursor:
        rows.length > page.limit
          ? encodeCursor({ id: toSafeInt(rows[page.limit - 1].id) } satisfies AuditCursor)
          : null,
    };
  }
}
