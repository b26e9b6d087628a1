import { Body, Controller, Post } from '@nestjs/common';
import { CurrentCaller } from '@paychat/auth';
import type { WalletCaller } from '../callers/wallet-caller';
import { ChargeWallet } from '../charges/charge-wallet.usecase';
import { Idempotency, type IdempotencyScope } from '../idempotency/idempotency-key.decorator';
import { Withdraw } from '../withdrawals/withdraw.usecase';
import { RailDto } from './rails.dto';

@Controller('v2/wallet')
export class RailsController {
  constructor(
    private readonly chargeWallet: ChargeWallet,
    private readonly withdraw: Withdraw,
  ) {}

  @Post('charges')
  charge(
    @CurrentCaller() caller: WalletCaller,
    @Idempotency() scope: IdempotencyScope,
    @Body() dto: RailDto,
  ) {
    return this.chargeWallet.execute(caller, dto, scope);
  }

  @Post('withdrawals')
  withdrawal(
    @CurrentCaller() caller: WalletCaller,
    @Idempotency() scope: IdempotencyScope,
    @Body() dto: RailDto,
  ) {
    return this.withdraw.execute(caller, dto, scope);
  }
}
