import { Module } from '@nestjs/common';
import { InternalGuard } from '@paychat/signing';
import { AtmController, AtmNetworkController } from './atm.controller';
import { AtmSessions } from './atm-sessions';

@Module({
  controllers: [AtmController, AtmNetworkController],
  providers: [AtmSessions, InternalGuard],
  exports: [AtmSessions],
})
export class AtmModule {}
