import type { DynamicModule } from '@nestjs/common';
import { loadConfig } from '@paychat/config';
import { GatewayEnv } from '../../apps/gateway/src/gateway.env';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { MessagesEnv } from '../../apps/messages/src/messages.env';
import { MessagesModule } from '../../apps/messages/src/messages.module';
import { WalletEnv } from '../../apps/wallet/src/wallet.env';
import { WalletModule } from '../../apps/wallet/src/wallet.module';

/** The apps whose controllers make up the public API behind the gateway (with default config). */
export function publicApiModules(): DynamicModule[] {
  const env = { NODE_ENV: 'test', LOG_LEVEL: 'silent' };
  return [
    GatewayModule.forRoot(loadConfig(GatewayEnv, env)),
    WalletModule.forRoot(loadConfig(WalletEnv, env)),
    MessagesModule.forRoot(loadConfig(MessagesEnv, env)),
  ];
}
