import { Module } from '@nestjs/common';
import { InternalGuard } from '@paychat/signing';
import { LedgerModule } from '../ledger/ledger.module';
import { LegacyBalanceController } from './legacy-balance.controller';
import { LegacyBalance } from './legacy-balance.usecase';
import { LegacyImport } from './legacy-import';

/** What the wallet serves for the strangler migration of the legacy monolith's balances. */
@Module({
  imports: [LedgerModule],
  controllers: [LegacyBalanceController],
  providers: [InternalGuard, LegacyBalance, LegacyImport],
  exports: [LegacyImport],
})
export class LegacyModule {}
