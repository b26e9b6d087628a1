import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '@paychat/platform';
import { GatewayEnv } from './gateway.env';
import { GatewayModule } from './gateway.module';
import { registerProxy } from './proxy/proxy.plugin';

/** The gateway app, not yet listening: Nest routes plus the raw streaming proxy routes. */
export async function buildGateway(config: GatewayEnv): Promise<NestFastifyApplication> {
  const app = await createApp(GatewayModule.forRoot(config));
  await registerProxy(app, config);
  return app;
}
