import { Module } from '@nestjs/common';
import { HistoryRepository } from './history.repository';
import { WalletController } from './wallet.controller';

@Module({ controllers: [WalletController], providers: [HistoryRepository], exports: [HistoryRepository] })
export class WalletViewModule {}
