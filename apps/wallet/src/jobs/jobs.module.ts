import { Module } from '@nestjs/common';
import { JobScheduler } from './job-scheduler';

/** The scheduler each feature registers its background job with (see Job). */
@Module({
  providers: [JobScheduler],
  exports: [JobScheduler],
})
export class JobsModule {}
