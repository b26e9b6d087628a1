import { Module } from '@nestjs/common';
import { RailsModule } from '../rails/rails.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { JobScheduler } from './job-scheduler';

@Module({ imports: [RailsModule, ReconciliationModule], providers: [JobScheduler] })
export class JobsModule {}
