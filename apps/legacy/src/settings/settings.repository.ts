import { Inject, Injectable } from '@nestjs/common';
import type { Connection, Pool, RowDataPacket } from 'mysql2/promise';
import { LEGACY_POOL } from '../db/legacy-pool';

export type BalanceWrites = 'enabled' | 'read_only';

/** The operator switches in `settings`. */
@Injectable()
export class SettingsRepository {
  constructor(@Inject(LEGACY_POOL) private readonly pool: Pool) {}

  /**
   * Fails closed: anything but exactly 'enabled' (a typo, a missing row) means read-only.
   * Inside a balance-writing transaction pass its connection and `shared`: the share lock makes an
   * operator's flip to 'read_only' wait for in-flight writes, so once it commits none are left.
   */
  async balanceWrites(conn: Connection = this.pool, shared = false): Promise<BalanceWrites> {
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT value FROM settings WHERE name = 'balance_writes'${shared ? ' LOCK IN SHARE MODE' : ''}`,
    );
    return rows[0]?.value === 'enabled' ? 'enabled' : 'read_only';
  }
}
