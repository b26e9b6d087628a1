import { Module } from '@nestjs/common';
import { SettingsModule } from '../settings/settings.module';
import { StatusController } from './status.controller';
import { StatusService } from './status.service';

@Module({
  imports: [SettingsModule],
  controllers: [StatusController],
  providers: [StatusService],
})
export class StatusModule {}
