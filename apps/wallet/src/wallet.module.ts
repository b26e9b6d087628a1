import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@paychat/auth';
import { CoreModule } from '@paychat/platform';
import { DatabaseModule } from './db/database.module';
import { WalletEnv } from './wallet.env';

@Module({})
export class WalletModule {
  static forRoot(config: WalletEnv): DynamicModule {
    return {
      module: WalletModule,
      imports: [CoreModule.forRoot('wallet', config), AuthModule, DatabaseModule],
    };
  }
}
