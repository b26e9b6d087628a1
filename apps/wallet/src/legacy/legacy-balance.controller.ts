import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { Public } from '@paychat/platform';
import { InternalCallers, InternalGuard } from '@paychat/signing';
import { LegacyBalance } from './legacy-balance.usecase';

export class LegacyUserParams {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  legacyUserId!: number;
}

/**
 * The v1-compatible balance (`GET /v1/balance` once carved): the gateway, as the
 * anti-corruption layer, validates the legacy session with the legacy app and asks here with its
 * service signature and the legacy user id. The answer keeps the legacy shape.
 */
@Public()
@UseGuards(InternalGuard)
@InternalCallers('gateway')
@Controller('internal/legacy/users/:legacyUserId/balance')
export class LegacyBalanceController {
  constructor(private readonly legacyBalance: LegacyBalance) {}

  @Get()
  balance(@Param() p: LegacyUserParams) {
    return this.legacyBalance.execute(p.legacyUserId);
  }
}
