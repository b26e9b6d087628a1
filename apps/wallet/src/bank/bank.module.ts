import { Module } from '@nestjs/common';
import { APP_CONFIG } from '@paychat/platform';
import type { WalletEnv } from '../wallet.env';
import { BankGateway } from './bank-gateway';
import { BankSimulator } from './bank-simulator';

/** Locally (and in this reference) the simulator; a partner adapter implements the same port. */
@Module({
  providers: [
    {
      provide: BankGateway,
      inject: [APP_CONFIG],
      useFactory: (config: WalletEnv) =>
        new BankSimulator({
          latencyMs: config.BANK_SIM_LATENCY_MS,
          declineRate: config.BANK_SIM_DECLINE_RATE,
          timeoutRate: config.BANK_SIM_TIMEOUT_RATE,
        }),
    },
  ],
  exports: [BankGateway],
})
export class BankModule {}
