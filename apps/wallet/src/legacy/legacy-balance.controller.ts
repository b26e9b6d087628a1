import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { Public } from '@paychat/platform';
import { InternalCallers, InternalGuard } from '@paychat/signing';
import { selectOne, toSafeInt } from '../db/rows';

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
  constructor(private readonly dataSource: DataSource) {}

  /** A legacy user without an imported account never held money there: 0, as the legacy app says. */
  @Get()
  async balance(@Param() p: LegacyUserParams) {
    const row = await selectOne<{ balance: string }>(
      this.dataSource.manager,
      `SELECT balance FROM accounts WHERE legacy_user_id = ?`,
      [p.legacyUserId],
    );
    return { userId: p.legacyUserId, balance: row ? toSafeInt(row.balance) : 0, currency: 'JPY' as const };
  }
}
