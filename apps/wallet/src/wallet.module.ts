import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@paychat/auth';
import { CoreModule } from '@paychat/platform';
import { AdminModule } from './admin/admin.module';
import { AtmModule } from './atm/atm.module';
import { BankAccountsModule } from './bank-accounts/bank-accounts.module';
import { CallersModule } from './callers/callers.module';
import { DatabaseModule } from './db/database.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { LegacyModule } from './legacy/legacy.module';
import { PaymentsModule } from './payments/payments.module';
import { RailsModule } from './rails/rails.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { RequestsModule } from './requests/requests.module';
import { TransfersModule } from './transfers/transfers.module';
import { UsersModule } from './users/users.module';
import { WalletEnv } from './wallet.env';
import { WalletViewModule } from './wallet/wallet-view.module';

/**
 * Infrastructure and the app-wide guard and interceptor first, then the capabilities that serve
 * routes; each capability imports what it uses (ledger, outbox, bank, jobs) itself.
 */
@Module({})
export class WalletModule {
  static forRoot(config: WalletEnv): DynamicModule {
    return {
      module: WalletModule,
      imports: [
        CoreModule.forRoot('wallet', config),
        DatabaseModule,
        AuthModule.withCallers(CallersModule),
        IdempotencyModule,
        UsersModule,
        WalletViewModule,
        BankAccountsModule,
        TransfersModule,
        PaymentsModule,
        RailsModule,
        RequestsModule,
        AtmModule,
        ReconciliationModule,
        LegacyModule,
        AdminModule,
      ],
    };
  }
}
