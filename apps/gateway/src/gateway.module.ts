import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { AuthModule } from '@paychat/auth';
import { CoreModule } from '@paychat/platform';
import { SignInModule } from './sign-in/sign-in.module';
import { GatewayEnv } from './gateway.env';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayEnv): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        // Proxied requests are logged by a Fastify hook (installAccessLog); only the gateway's own
        // controllers need the per-request logging context.
        CoreModule.forRoot('gateway', config, {
          contextRoutes: [{ path: 'v2/auth/*path', method: RequestMethod.ALL }],
          hookAccessLog: true,
        }),
        AuthModule,
        SignInModule,
      ],
    };
  }
}
