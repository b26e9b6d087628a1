import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@paychat/errors';
import type { WalletCaller } from '../callers/wallet-caller';
import type { TransferView } from './transfers.dto';
import { TransfersRepository, toTransferView } from './transfers.repository';

/** A transfer as one of its two parties sees it; to anyone else it does not exist. */
@Injectable()
export class ViewTransfer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transfers: TransfersRepository,
  ) {}

  async execute(caller: WalletCaller, id: string): Promise<TransferView> {
    const row = await this.transfers.visibleTo(this.dataSource.manager, id, caller.userId);
    if (!row) throw new AppError('not_found');
    return toTransferView(row, false);
  }
}
