import { Controller, Get, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Caller, type WalletCaller } from '../callers/wallet-caller';
import { selectOne, toSafeInt } from '../db/rows';
import type { KycLevel } from '../limits/kyc-limits';
import { Limits } from '../limits/limits';
import { OUTFLOW_USED, outflowUsed, type UsedColumns } from '../limits/outflow-counters';
import { HistoryRepository } from './history.repository';
import { PageQuery } from '@paychat/platform';
import type { WalletView } from './wallet.dto';

@Controller('v2/wallet')
export class WalletController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly history: HistoryRepository,
    private readonly limits: Limits,
  ) {}

  /** One row: the balance and the outflow counters (no sum over history on a request). */
  @Get()
  async wallet(@Caller() caller: WalletCaller): Promise<WalletView> {
    const row = await selectOne<UsedColumns & { balance: string; status: string; kyc_level: string }>(
      this.dataSource.manager,
      `SELECT a.balance, a.status, u.kyc_level, ${OUTFLOW_USED} FROM accounts a JOIN users u ON u.id = a.owner_id WHERE a.id = ?`,
      [caller.accountId],
    );
    const kycLevel = row!.kyc_level as KycLevel;
    return {
      accountId: caller.accountId,
      balance: toSafeInt(row!.balance),
      currency: 'JPY',
      status: row!.status,
      kycLevel,
      limits: this.limits.view(kycLevel, outflowUsed(row!)),
    };
  }

  @Get('transactions')
  transactions(@Caller() caller: WalletCaller, @Query() query: PageQuery) {
    return this.history.page(this.dataSource.manager, caller.accountId, query.limit, query.cursor);
  }
}
