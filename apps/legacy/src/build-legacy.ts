import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '@paychat/platform';
import { LegacyEnv } from './legacy.env';
import { registerOldAdminHeaders } from './admin/page-headers';
import { LegacyModule } from './legacy.module';
import { registerLoginThrottle } from './sessions/login-throttle';

/** The legacy stand-in app (sign-ins throttled, old admin pages' headers), not yet listening. Used by main.ts and the e2e tests. */
export async function buildLegacy(config: LegacyEnv): Promise<NestFastifyApplication> {
  const app = await createApp(LegacyModule.forRoot(config), config);
  const fastify = app.getHttpAdapter().getInstance();
  await registerLoginThrottle(fastify, config);
  registerOldAdminHeaders(fastify);
  return app;
}
