import { Module } from '@nestjs/common';
import { Parties } from '../users/parties';
import { TransferFunds } from './transfer-funds.usecase';
import { TransfersController } from './transfers.controller';
import { TransfersRepository } from './transfers.repository';

@Module({
  controllers: [TransfersController],
  providers: [TransferFunds, TransfersRepository, Parties],
  exports: [TransferFunds],
})
export class TransfersModule {}
