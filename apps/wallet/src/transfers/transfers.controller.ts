import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@paychat/errors';
import { Caller, type WalletCaller } from '../callers/wallet-caller';
import { Idempotency, type IdempotencyScope } from '../idempotency/idempotency-key.decorator';
import { IdParams, TransferDto } from './transfers.dto';
import { TransferFunds } from './transfer-funds.usecase';
import { TransfersRepository, toTransferView } from './transfers.repository';

@Controller('v2/wallet/transfers')
export class TransfersController {
  constructor(
    private readonly transferFunds: TransferFunds,
    private readonly transfers: TransfersRepository,
    private readonly dataSource: DataSource,
  ) {}

  @Post()
  create(@Caller() caller: WalletCaller, @Idempotency() scope: IdempotencyScope, @Body() dto: TransferDto) {
    return this.transferFunds.execute({ from: caller, ...dto }, scope, dto);
  }

  @Get(':id')
  async get(@Caller() caller: WalletCaller, @Param() params: IdParams) {
    const row = await this.transfers.visibleTo(this.dataSource.manager, params.id, caller.userId);
    if (!row) throw new AppError('not_found');
    return toTransferView(row, false);
  }
}
