import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { HistoryRepository } from './history.repository';
import { ListTransactions } from './list-transactions.usecase';
import { ViewWallet } from './view-wallet.usecase';
import { WalletController } from './wallet.controller';

@Module({
  imports: [LedgerModule],
  controllers: [WalletController],
  providers: [HistoryRepository, ListTransactions, ViewWallet],
  exports: [ListTransactions, ViewWallet],
})
export class WalletViewModule {}
