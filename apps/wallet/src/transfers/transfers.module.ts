import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { LedgerModule } from '../ledger/ledger.module';
import { OutboxModule } from '../outbox/outbox.module';
import { Parties } from '../users/parties';
import { ChatTransfersController } from './chat-transfers.controller';
import { TransferFunds } from './transfer-funds.usecase';
import { TransfersController } from './transfers.controller';
import { TransfersRepository } from './transfers.repository';
import { ViewTransfer } from './view-transfer.usecase';

@Module({
  imports: [LedgerModule, IdempotencyModule, OutboxModule],
  controllers: [TransfersController, ChatTransfersController],
  providers: [TransferFunds, ViewTransfer, TransfersRepository, Parties],
  exports: [TransferFunds],
})
export class TransfersModule {}
