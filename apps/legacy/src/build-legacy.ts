import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '@paychat/platform';
import { LegacyEnv } from './legacy.env';
import { LegacyModule } from './legacy.module';

/** The legacy stand-in app, not yet listening. Used by main.ts and the e2e tests. */
export function buildLegacy(config: LegacyEnv): Promise<NestFastifyApplication> {
  return createApp(LegacyModule.forRoot(config), config);
}
