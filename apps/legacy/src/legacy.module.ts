import { DynamicModule, Module } from '@nestjs/common';
import { CoreModule } from '@paychat/platform';
import { AccountModule } from './account/account.module';
import { AdminModule } from './admin/admin.module';
import { DbModule } from './db/db.module';
import { LegacyEnv } from './legacy.env';
import { SessionsModule } from './sessions/sessions.module';
import { StatusModule } from './status/status.module';
import { TransfersModule } from './transfers/transfers.module';

/**
 * The old `/v1` monolith: its own session tokens, so no AuthModule (its app-wide guard). Only the old
 * admin pages (`/admin/v1`) verify Cognito tokens, with their own guard.
 */
@Module({})
export class LegacyModule {
  static forRoot(config: LegacyEnv): DynamicModule {
    return {
      module: LegacyModule,
      imports: [
        CoreModule.forRoot('legacy', config),
        DbModule,
        StatusModule,
        SessionsModule,
        AccountModule,
        TransfersModule,
        AdminModule,
      ],
    };
  }
}
