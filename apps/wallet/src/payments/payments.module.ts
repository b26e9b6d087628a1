import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { LedgerModule } from '../ledger/ledger.module';
import { PayMerchant } from './pay-merchant.usecase';
import { PaymentsController } from './payments.controller';

@Module({
  imports: [LedgerModule, IdempotencyModule],
  controllers: [PaymentsController],
  providers: [PayMerchant],
})
export class PaymentsModule {}
