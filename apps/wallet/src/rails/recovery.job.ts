import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@paychat/errors';
import { APP_CONFIG } from '@paychat/platform';
import { callBank } from '../bank/bank-calls';
import { BankGateway } from '../bank/bank-gateway';
import { ChargeSettlement } from '../charges/charge-settlement';
import { ChargeVoids } from '../charges/charge-voids';
import { inTransaction } from '../db/transaction';
import type { WalletEnv } from '../wallet.env';
import { WithdrawalSettlement } from '../withdrawals/withdrawal-settlement';
import { RailRows } from './rail-rows';
import type { RailSettlement } from './rail-settlement';

/**
 * Resolves operations whose bank answer never arrived: asks getStatus(ref) — never resubmits,
 * never guesses — and settles through the same exactly-once settlement as the request path.
 * Then asks the bank again for every void it still owes (charges refused at settlement).
 */
@Injectable()
export class RecoveryJob {
  private readonly logger = new Logger(RecoveryJob.name);
  private readonly settlements: RailSettlement[];

  constructor(
    private readonly dataSource: DataSource,
    private readonly rows: RailRows,
    private readonly bank: BankGateway,
    @Inject(APP_CONFIG) private readonly config: WalletEnv,
    private readonly voids: ChargeVoids,
    charges: ChargeSettlement,
    withdrawals: WithdrawalSettlement,
  ) {
    this.settlements = [charges, withdrawals];
  }

  /** Returns how many operations reached a final status (voids confirmed are logged, not counted). */
  async runOnce(): Promise<number> {
    let settled = 0;
    for (const settlement of this.settlements) {
      for (const id of await this.rows.stale(
        this.dataSource,
        settlement.rail,
        this.config.RECOVERY_AFTER_MS,
        100,
      )) {
        const outcome = await callBank(() => this.bank.getStatus(id), this.config.BANK_TIMEOUT_MS);
        if (outcome.status === 'pending') continue;
        // The settlement throws its final answer (bank_declined, limit_exceeded) after recording it:
        // an answer, not a failure here, so it must not roll the record back.
        await inTransaction(this.dataSource, (m) =>
          settlement.settle(m, id, outcome).catch((err: unknown) => {
            if (!(err instanceof AppError)) throw err;
          }),
        );
        settled++;
        this.logger.log({ rail: settlement.rail, id, outcome: outcome.status }, 'pending operation resolved');
      }
    }
    await this.voids.run();
    return settled;
  }
}
