import { Body, Controller, Post } from '@nestjs/common';
import { CurrentCaller } from '@paychat/auth';
import type { WalletCaller } from '../callers/wallet-caller';
import { Idempotency, type IdempotencyScope } from '../idempotency/idempotency-key.decorator';
import { PaymentDto } from './payments.dto';
import { PayMerchant } from './pay-merchant.usecase';

@Controller('v2/wallet/payments')
export class PaymentsController {
  constructor(private readonly payMerchant: PayMerchant) {}

  @Post()
  create(
    @CurrentCaller() caller: WalletCaller,
    @Idempotency() scope: IdempotencyScope,
    @Body() dto: PaymentDto,
  ) {
    return this.payMerchant.execute(caller, dto, scope);
  }
}
