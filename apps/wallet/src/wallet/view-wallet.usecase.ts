import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WalletCaller } from '../callers/wallet-caller';
import { AccountsRepository } from '../ledger/accounts.repository';
import { Limits } from '../limits/limits';
import type { WalletView } from './wallet.dto';

/** The caller's wallet: balance, status and what their KYC limits leave for today and this month. */
@Injectable()
export class ViewWallet {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsRepository,
    private readonly limits: Limits,
  ) {}

  execute(caller: WalletCaller): Promise<WalletView> {
    return this.ofAccount(caller.accountId);
  }

  /** The same view of any user's wallet (an operator's user page shows what its owner sees). */
  async ofAccount(accountId: string): Promise<WalletView> {
    const { balance, status, kycLevel, used } = await this.accounts.wallet(
      this.dataSource.manager,
      accountId,
    );
    return {
      accountId,
      balance,
      currency: 'JPY',
      status,
      kycLevel,
      limits: this.limits.view(kycLevel, used),
    };
  }
}
