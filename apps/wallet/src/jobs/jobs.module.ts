import { Module } from '@nestjs/common';
import { AtmModule } from '../atm/atm.module';
import { RailsModule } from '../rails/rails.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { RequestsModule } from '../requests/requests.module';
import { JobScheduler } from './job-scheduler';

@Module({
  imports: [RailsModule, ReconciliationModule, RequestsModule, AtmModule],
  providers: [JobScheduler],
})
export class JobsModule {}
