import { Body, Controller, Post } from '@nestjs/common';
import { CurrentCaller } from '@paychat/auth';
import type { WalletCaller } from '../callers/wallet-caller';
import { Idempotency, type IdempotencyScope } from '../idempotency/idempotency-key.decorator';
import { RailDto } from '../rails/rails.dto';
import { ChargeWallet } from './charge-wallet.usecase';

@Controller('v2/wallet')
export class ChargesController {
  constructor(private readonly chargeWallet: ChargeWallet) {}

  @Post('charges')
  charge(
    @CurrentCaller() caller: WalletCaller,
    @Idempotency() scope: IdempotencyScope,
    @Body() dto: RailDto,
  ) {
    return this.chargeWallet.execute(caller, dto, scope);
  }
}
