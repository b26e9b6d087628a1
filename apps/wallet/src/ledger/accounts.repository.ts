import { Injectable } from '@nestjs/common';
import { selectOne, toSafeInt } from '../db/rows';
import type { Sql } from '../db/sql';
import type { KycLevel } from '../limits/kyc-limits';
import { OUTFLOW_USED, outflowUsed, type OutflowUsed, type UsedColumns } from '../limits/outflow-counters';

export interface WalletRow {
  balance: number;
  status: string;
  kycLevel: KycLevel;
  used: OutflowUsed;
}

/** The ledger's accounts rows. */
@Injectable()
export class AccountsRepository {
  /** One row: the balance and the outflow counters (no sum over history on a request). */
  async wallet(m: Sql, accountId: string): Promise<WalletRow> {
    const row = await selectOne<UsedColumns & { balance: string; status: string; kyc_level: string }>(
      m,
      `SELECT a.balance, a.status, u.kyc_level, ${OUTFLOW_USED} FROM accounts a JOIN users u ON u.id = a.owner_id WHERE a.id = ?`,
      [accountId],
    );
    return {
      balance: toSafeInt(row!.balance),
      status: row!.status,
      kycLevel: row!.kyc_level as KycLevel,
      used: outflowUsed(row!),
    };
  }

  /** A legacy user without an imported account never held money there: 0, as the legacy app says. */
  async legacyBalance(m: Sql, legacyUserId: number): Promise<number> {
    const row = await selectOne<{ balance: string }>(
      m,
      `SELECT balance FROM accounts WHERE legacy_user_id = ?`,
      [legacyUserId],
    );
    return row ? toSafeInt(row.balance) : 0;
  }
}
