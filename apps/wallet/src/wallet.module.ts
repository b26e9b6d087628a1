import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@paychat/auth';
import { AdminModule } from './admin/admin.module';
import { AtmModule } from './atm/atm.module';
import { RequestsModule } from './requests/requests.module';
import { CoreModule } from '@paychat/platform';
import { BankAccountsModule } from './bank-accounts/bank-accounts.module';
import { BankModule } from './bank/bank.module';
import { CallersModule } from './callers/callers.module';
import { DatabaseModule } from './db/database.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { JobsModule } from './jobs/jobs.module';
import { LedgerModule } from './ledger/ledger.module';
import { LegacyModule } from './legacy/legacy.module';
import { OutboxModule } from './outbox/outbox.module';
import { PaymentsModule } from './payments/payments.module';
import { RailsModule } from './rails/rails.module';
import { TransfersModule } from './transfers/transfers.module';
import { UsersModule } from './users/users.module';
import { WalletEnv } from './wallet.env';
import { WalletViewModule } from './wallet/wallet-view.module';

@Module({})
export class WalletModule {
  static forRoot(config: WalletEnv): DynamicModule {
    return {
      module: WalletModule,
      imports: [
        CoreModule.forRoot('wallet', config),
        DatabaseModule,
        AuthModule,
        CallersModule,
        LedgerModule,
        IdempotencyModule,
        OutboxModule,
        BankModule,
        BankAccountsModule,
        UsersModule,
        WalletViewModule,
        TransfersModule,
        PaymentsModule,
        RailsModule,
        JobsModule,
        AdminModule,
        RequestsModule,
        AtmModule,
        LegacyModule,
      ],
    };
  }
}
