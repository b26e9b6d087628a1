import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentCaller } from '@paychat/auth';
import type { WalletCaller } from '../callers/wallet-caller';
import { Idempotency, type IdempotencyScope } from '../idempotency/idempotency-key.decorator';
import { IdParams } from '../transfers/transfers.dto';
import { ListRequests } from './list-requests.usecase';
import { PaymentRequests } from './payment-requests';
import { CreateRequestDto, RequestsQuery } from './requests.dto';

@Controller('v2/wallet/requests')
export class RequestsController {
  constructor(
    private readonly requests: PaymentRequests,
    private readonly listRequests: ListRequests,
  ) {}

  @Post()
  @HttpCode(201)
  create(@CurrentCaller() caller: WalletCaller, @Body() dto: CreateRequestDto) {
    return this.requests.create(caller, dto);
  }

  @Get()
  list(@CurrentCaller() caller: WalletCaller, @Query() q: RequestsQuery) {
    return this.listRequests.execute(caller, q);
  }

  @Post(':id/pay')
  pay(@CurrentCaller() caller: WalletCaller, @Param() p: IdParams, @Idempotency() scope: IdempotencyScope) {
    return this.requests.pay(caller, p.id, scope);
  }

  @Post(':id/decline')
  @HttpCode(200)
  decline(@CurrentCaller() caller: WalletCaller, @Param() p: IdParams) {
    return this.requests.answer(caller, p.id, 'declined');
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@CurrentCaller() caller: WalletCaller, @Param() p: IdParams) {
    return this.requests.answer(caller, p.id, 'cancelled');
  }
}
