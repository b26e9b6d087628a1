import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SystemAccount } from './ledger.types';

/** Ids of the system accounts (created by the first migration), read once at boot. */
@Injectable()
export class SystemAccounts implements OnApplicationBootstrap {
  private ids = new Map<SystemAccount, string>();

  constructor(private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    const rows = (await this.dataSource.query(
      `SELECT id, system_code FROM accounts WHERE kind = 'system'`,
    )) as {
      id: string;
      system_code: SystemAccount;
    }[];
    this.ids = new Map(rows.map((r) => [r.system_code, String(r.id)]));
  }

  idOf(code: SystemAccount): string {
    const id = this.ids.get(code);
    if (!id) throw new Error(`system account ${code} is missing: run npm run migrate`);
    return id;
  }
}
