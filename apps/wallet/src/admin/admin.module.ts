import { Module } from '@nestjs/common';
import { BankAccountsModule } from '../bank-accounts/bank-accounts.module';
import { CallersModule } from '../callers/callers.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { LedgerModule } from '../ledger/ledger.module';
import { OutboxModule } from '../outbox/outbox.module';
import { TransfersModule } from '../transfers/transfers.module';
import { PaymentsModule } from '../payments/payments.module';
import { UsersModule } from '../users/users.module';
import { WalletViewModule } from '../wallet/wallet-view.module';
import { ActivityStats } from './activity-stats.usecase';
import { AdminActions } from './admin-actions';
import { AdminLedgerController } from './admin-ledger.controller';
import { AdminOutboxController } from './admin-outbox.controller';
import { AdminStatsController } from './admin-stats.controller';
import { AdminUsersController } from './admin-users.controller';
import { AdminUsersRepository } from './admin-users.repository';
import { Audit } from './audit';
import { AuditedUserReads } from './audited-user-reads';
import { ListMerchants } from './list-merchants.usecase';
import { ListRejectedEvents } from './list-rejected-events.usecase';
import { OutboxIntervention } from './outbox-intervention';
import { OutboxStatus } from './outbox-status.usecase';
import { ReadAuditLog } from './read-audit-log.usecase';
import { ReversalsRepository } from './reversals.repository';
import { ReverseTransfer } from './reverse-transfer.usecase';

@Module({
  imports: [
    WalletViewModule,
    LedgerModule,
    IdempotencyModule,
    CallersModule,
    UsersModule,
    PaymentsModule,
    OutboxModule,
    TransfersModule,
    BankAccountsModule,
  ],
  controllers: [AdminUsersController, AdminLedgerController, AdminOutboxController, AdminStatsController],
  providers: [
    AdminActions,
    AdminUsersRepository,
    Audit,
    AuditedUserReads,
    ReadAuditLog,
    ReverseTransfer,
    ReversalsRepository,
    ListMerchants,
    OutboxStatus,
    ListRejectedEvents,
    OutboxIntervention,
    ActivityStats,
  ],
})
export class AdminModule {}
