import { Module } from '@nestjs/common';
import { RailsModule } from '../rails/rails.module';
import { JobScheduler } from './job-scheduler';

@Module({ imports: [RailsModule], providers: [JobScheduler] })
export class JobsModule {}
