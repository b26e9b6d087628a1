import { Module } from '@nestjs/common';
import { DevicesController } from './devices.controller';
import { DevicesRepository } from './devices.repository';

@Module({
  controllers: [DevicesController],
  providers: [DevicesRepository],
  exports: [DevicesRepository],
})
export class DevicesModule {}
