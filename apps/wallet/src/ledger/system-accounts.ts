import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountsRepository } from './accounts.repository';
import type { SystemAccount } from './ledger.types';

/** Ids of the system accounts (created by the first migration), read once at boot. */
@Injectable()
export class SystemAccounts implements OnApplicationBootstrap {
  private ids = new Map<SystemAccount, string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.ids = await this.accounts.systemIds(this.dataSource.manager);
  }

  idOf(code: SystemAccount): string {
    const id = this.ids.get(code);
    if (!id) throw new Error(`system account ${code} is missing: run npm run migrate`);
    return id;
  }
}
