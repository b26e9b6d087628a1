import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '@paychat/platform';
import { voidConfirmed } from '../bank/bank-calls';
import { BankGateway } from '../bank/bank-gateway';
import type { Sql } from '../db/sql';
import { RailRows } from '../rails/rail-rows';
import type { WalletEnv } from '../wallet.env';

/**
 * A charge the bank approved but the wallet may not credit (the maximum balance, checked under the
 * account lock) fails, and the bank owes the user the money back: `void_status` is `owed` until the
 * bank confirms the void (our charge id is its reference), then `voided`. The void is a network
 * call, so it runs with no transaction open: right after the refused request, and on every
 * recovery-job run until the bank confirms.
 */
@Injectable()
export class ChargeVoids {
  private readonly logger = new Logger(ChargeVoids.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly bank: BankGateway,
    private readonly rows: RailRows,
    @Inject(APP_CONFIG) private readonly config: WalletEnv,
  ) {}

  /** In the settling transaction, instead of the credit. */
  owe(m: Sql, id: string): Promise<void> {
    return this.rows.failOwingVoid(m, id);
  }

  /** Asks the bank to void the owed charges (only `id` if given); returns how many it confirmed. */
  async run(id?: string): Promise<number> {
    let confirmed = 0;
    for (const ref of await this.rows.owedVoids(this.dataSource, id)) {
      if (!(await voidConfirmed(() => this.bank.void(ref), this.config.BANK_TIMEOUT_MS))) continue;
      await this.rows.voided(this.dataSource, ref);
      confirmed++;
      this.logger.log({ id: ref }, 'charge voided at the bank');
    }
    return confirmed;
  }
}
