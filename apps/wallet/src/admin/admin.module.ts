import { Module } from '@nestjs/common';
import { CallersModule } from '../callers/callers.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { LedgerModule } from '../ledger/ledger.module';
import { PaymentsModule } from '../payments/payments.module';
import { UsersModule } from '../users/users.module';
import { WalletViewModule } from '../wallet/wallet-view.module';
import { AdminActions } from './admin-actions';
import { AdminLedgerController } from './admin-ledger.controller';
import { AdminUsersController } from './admin-users.controller';
import { AdminUsersRepository } from './admin-users.repository';
import { Audit } from './audit';
import { AuditedUserReads } from './audited-user-reads';
import { ReadAuditLog } from './read-audit-log.usecase';
import { ReversalsRepository } from './reversals.repository';
import { ReverseTransfer } from './reverse-transfer.usecase';

@Module({
  imports: [WalletViewModule, LedgerModule, IdempotencyModule, CallersModule, UsersModule, PaymentsModule],
  controllers: [AdminUsersController, AdminLedgerController],
  providers: [
    AdminActions,
    AdminUsersRepository,
    Audit,
    AuditedUserReads,
    ReadAuditLog,
    ReverseTransfer,
    ReversalsRepository,
  ],
})
export class AdminModule {}
