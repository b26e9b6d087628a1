import { Controller, Get, Header } from '@nestjs/common';
import { AdminOnly } from '@paychat/auth';
import { LedgerHealth } from './ledger-health.usecase';

@Controller('admin/v2/ledger')
export class LedgerHealthController {
  constructor(private readonly ledgerHealth: LedgerHealth) {}

  @Get('health')
  @AdminOnly()
  @Header('cache-control', 'no-store')
  health() {
    return this.ledgerHealth.execute();
  }
}
