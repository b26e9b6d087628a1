import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountsRepository } from '../ledger/accounts.repository';

/** A legacy user's balance in the legacy shape. */
@Injectable()
export class LegacyBalance {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsRepository,
  ) {}

  async execute(legacyUserId: number) {
    const balance = await this.accounts.legacyBalance(this.dataSource.manager, legacyUserId);
    return { userId: legacyUserId, balance, currency: 'JPY' as const };
  }
}
