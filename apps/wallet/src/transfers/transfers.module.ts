import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { LedgerModule } from '../ledger/ledger.module';
import { OutboxModule } from '../outbox/outbox.module';
import { UsersModule } from '../users/users.module';
import { ChatTransfersController } from './chat-transfers.controller';
import { TransferFunds } from './transfer-funds.usecase';
import { TransfersController } from './transfers.controller';
import { TransfersRepository } from './transfers.repository';
import { ViewTransfer } from './view-transfer.usecase';

@Module({
  imports: [LedgerModule, IdempotencyModule, OutboxModule, UsersModule],
  controllers: [TransfersController, ChatTransfersController],
  providers: [TransferFunds, ViewTransfer, TransfersRepository],
  exports: [TransferFunds, TransfersRepository],
})
export class TransfersModule {}
