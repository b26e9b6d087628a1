import { Module } from '@nestjs/common';
import { WalletViewModule } from '../wallet/wallet-view.module';
import { AdminActions } from './admin-actions';
import { AdminLedgerController } from './admin-ledger.controller';
import { AdminUsersController } from './admin-users.controller';
import { AdminUsersRepository } from './admin-users.repository';
import { Audit } from './audit';
import { AuditedUserReads } from './audited-user-reads';
import { ReverseTransfer } from './reverse-transfer.usecase';

@Module({
  imports: [WalletViewModule],
  controllers: [AdminUsersController, AdminLedgerController],
  providers: [AdminActions, AdminUsersRepository, Audit, AuditedUserReads, ReverseTransfer],
})
export class AdminModule {}
