import { Module } from '@nestjs/common';
import { InternalGuard } from '@paychat/signing';
import { LegacyBalanceController } from './legacy-balance.controller';
import { LegacyImport } from './legacy-import';

/** What the wallet serves for the strangler migration of the legacy monolith's balances. */
@Module({
  controllers: [LegacyBalanceController],
  providers: [InternalGuard, LegacyImport],
  exports: [LegacyImport],
})
export class LegacyModule {}
