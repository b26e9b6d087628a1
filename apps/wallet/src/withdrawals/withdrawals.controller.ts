import { Body, Controller, Post } from '@nestjs/common';
import { CurrentCaller } from '@paychat/auth';
import type { WalletCaller } from '../callers/wallet-caller';
import { Idempotency, type IdempotencyScope } from '../idempotency/idempotency-key.decorator';
import { RailDto } from '../rails/rails.dto';
import { Withdraw } from './withdraw.usecase';

@Controller('v2/wallet')
export class WithdrawalsController {
  constructor(private readonly withdraw: Withdraw) {}

  @Post('withdrawals')
  withdrawal(
    @CurrentCaller() caller: WalletCaller,
    @Idempotency() scope: IdempotencyScope,
    @Body() dto: RailDto,
  ) {
    return this.withdraw.execute(caller, dto, scope);
  }
}
