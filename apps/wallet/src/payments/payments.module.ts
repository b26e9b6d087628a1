import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { LedgerModule } from '../ledger/ledger.module';
import { MerchantsRepository } from './merchants.repository';
import { PayMerchant } from './pay-merchant.usecase';
import { PaymentsController } from './payments.controller';
import { PaymentsRepository } from './payments.repository';

@Module({
  imports: [LedgerModule, IdempotencyModule],
  controllers: [PaymentsController],
  providers: [PayMerchant, PaymentsRepository, MerchantsRepository],
  exports: [MerchantsRepository],
})
export class PaymentsModule {}
