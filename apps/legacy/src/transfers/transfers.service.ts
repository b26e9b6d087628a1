import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'mysql2/promise';
import { AppError } from '@paychat/errors';
import { inTransaction } from '../db/in-transaction';
import { LEGACY_POOL } from '../db/legacy-pool';
import type { LegacyCaller } from '../sessions/legacy-caller';
import { SettingsRepository } from '../settings/settings.repository';
import { TransferDto, TransferView } from './transfers.dto';
import { TransfersRepository } from './transfers.repository';

/** Pays another legacy user: all checks and writes in one transaction, so a refusal writes nothing. */
@Injectable()
export class TransfersService {
  constructor(
    @Inject(LEGACY_POOL) private readonly pool: Pool,
    private readonly settings: SettingsRepository,
    private readonly transfers: TransfersRepository,
  ) {}

  transfer(sender: LegacyCaller, dto: TransferDto): Promise<TransferView> {
    return inTransaction(this.pool, async (conn) => {
      // Share-locked: a flip to read_only waits for this transaction, which is how writes are drained.
      if ((await this.settings.balanceWrites(conn, true)) !== 'enabled') {
        throw new AppError('service_unavailable', 'Balance writes are read-only during migration');
      }
      const recipientId = await this.transfers.userIdByEmail(conn, dto.toEmail);
      if (recipientId === undefined) throw new AppError('recipient_not_found', 'No user has that email');
      if (recipientId === sender.id) throw new AppError('self_transfer', 'Cannot transfer to yourself');

      const pair: [number, number] =
        sender.id < recipientId ? [sender.id, recipientId] : [recipientId, sender.id];
      const balances = await this.transfers.lockBalances(conn, pair);
      const senderBalance = balances.get(sender.id) ?? 0;
      if (senderBalance < dto.amount) throw new AppError('insufficient_funds', 'Balance is too low');

      const id = await this.transfers.move(conn, sender.id, recipientId, dto.amount);
      return { id, balance: senderBalance - dto.amount };
    });
  }
}
