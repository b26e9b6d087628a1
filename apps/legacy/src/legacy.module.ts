import { DynamicModule, Module } from '@nestjs/common';
import { CoreModule } from '@paychat/platform';
import { AccountModule } from './account/account.module';
import { DbModule } from './db/db.module';
import { LegacyEnv } from './legacy.env';
import { SessionsModule } from './sessions/sessions.module';
import { StatusModule } from './status/status.module';
import { TransfersModule } from './transfers/transfers.module';

/** The old `/v1` monolith: its own session tokens, no Cognito (so no AuthModule). */
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
      ],
    };
  }
}
