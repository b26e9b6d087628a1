import { GatewayEnv } from '../../apps/gateway/src/gateway.env';
import { LegacyEnv } from '../../apps/legacy/src/legacy.env';
import { MessagesEnv } from '../../apps/messages/src/messages.env';
import { WalletEnv } from '../../apps/wallet/src/wallet.env';

/** Each app's config schema: what compose and the task definitions must satisfy in production. */
export const APP_ENVS = {
  gateway: GatewayEnv,
  wallet: WalletEnv,
  messages: MessagesEnv,
  legacy: LegacyEnv,
} as const;
