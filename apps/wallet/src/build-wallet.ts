import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '@paychat/platform';
import { WalletEnv } from './wallet.env';
import { WalletModule } from './wallet.module';

export function buildWallet(config: WalletEnv): Promise<NestFastifyApplication> {
  return createApp(WalletModule.forRoot(config), config);
}
