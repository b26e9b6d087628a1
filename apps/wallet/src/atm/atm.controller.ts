import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { Public } from '@paychat/platform';
import { InternalCallers, InternalGuard } from '@paychat/signing';
import { CurrentCaller } from '@paychat/auth';
import type { WalletCaller } from '../callers/wallet-caller';
import { Idempotency, type IdempotencyScope } from '../idempotency/idempotency-key.decorator';
import { AtmConfirmationDto, StartAtmDto } from './atm.dto';
import { AtmSessions } from './atm-sessions';

@Controller('v2/wallet/atm-sessions')
export class AtmController {
  constructor(private readonly sessions: AtmSessions) {}

  @Post()
  start(
    @CurrentCaller() caller: WalletCaller,
    @Idempotency() scope: IdempotencyScope,
    @Body() dto: StartAtmDto,
  ) {
    return this.sessions.start(caller, dto, scope);
  }
}

/** The AtmGateway port: the ATM network (or the local simulator) confirms codes, signed. Never routed by the gateway. */
@Public()
@UseGuards(InternalGuard)
@InternalCallers('atm-network')
@Controller('internal/atm')
export class AtmNetworkController {
  constructor(private readonly sessions: AtmSessions) {}

  @Post('confirmations')
  @HttpCode(200)
  confirm(@Body() dto: AtmConfirmationDto) {
    return this.sessions.confirm(dto);
  }
}
