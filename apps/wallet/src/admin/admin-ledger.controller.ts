import { Body, Controller, Get, Header, Param, Post, Query } from '@nestjs/common';
import { AdminOnly } from '@paychat/auth';
import { Idempotency, type IdempotencyScope } from '../idempotency/idempotency-key.decorator';
import { IdParams } from '../transfers/transfers.dto';
import { AuditLogQuery, ReasonDto } from './admin.dto';
import { Admin, type AdminContext } from './audit';
import { ReadAuditLog } from './read-audit-log.usecase';
import { ReverseTransfer } from './reverse-transfer.usecase';

@AdminOnly()
@Controller('admin/v2')
export class AdminLedgerController {
  constructor(
    private readonly reverseTransfer: ReverseTransfer,
    private readonly readAuditLog: ReadAuditLog,
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

  @Get('audit-log')
  @Header('cache-control', 'no-store')
  auditLog(@Query() q: AuditLogQuery) {
    return this.readAuditLog.execute(q);
  }
}
