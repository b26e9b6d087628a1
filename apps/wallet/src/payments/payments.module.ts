import { Module } from '@nestjs/common';
import { PayMerchant } from './pay-merchant.usecase';
import { PaymentsController } from './payments.controller';

@Module({ controllers: [PaymentsController], providers: [PayMerchant] })
export class PaymentsModule {}
