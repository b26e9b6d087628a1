import { Module } from '@nestjs/common';
import { Parties } from '../users/parties';
import { ChatTransfersController } from './chat-transfers.controller';
import { TransferFunds } from './transfer-funds.usecase';
import { TransfersController } from './transfers.controller';
import { TransfersRepository } from './transfers.repository';
import { ViewTransfer } from './view-transfer.usecase';

@Module({
  controllers: [TransfersController, ChatTransfersController],
  providers: [TransferFunds, ViewTransfer, TransfersRepository, Parties],
  exports: [TransferFunds],
})
export class TransfersModule {}
