import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { CurrentCaller } from '@paychat/auth';
import type { WalletCaller } from '../callers/wallet-caller';
import { Idempotency, type IdempotencyScope } from '../idempotency/idempotency-key.decorator';
import { IdParams, TransferDto } from './transfers.dto';
import { TransferFunds } from './transfer-funds.usecase';
import { ViewTransfer } from './view-transfer.usecase';

@Controller('v2/wallet/transfers')
export class TransfersController {
  constructor(
    private readonly transferFunds: TransferFunds,
    private readonly viewTransfer: ViewTransfer,
  ) {}

  @Post()
  create(
    @CurrentCaller() caller: WalletCaller,
    @Idempotency() scope: IdempotencyScope,
    @Body() dto: TransferDto,
  ) {
    return this.transferFunds.execute({ from: caller, ...dto }, scope, dto);
  }

  @Get(':id')
  get(@CurrentCaller() caller: WalletCaller, @Param() params: IdParams) {
    return this.viewTransfer.execute(caller, params.id);
  }
}
