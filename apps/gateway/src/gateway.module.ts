import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@paychat/auth';
import { CoreModule } from '@paychat/platform';
import { AccountsModule } from './accounts/accounts.module';
import { GatewayEnv } from './gateway.env';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayEnv): DynamicModule {
    return {
      module: GatewayModule,
      imports: [CoreModule.forRoot('gateway', config), AuthModule, AccountsModule],
    };
  }
}
