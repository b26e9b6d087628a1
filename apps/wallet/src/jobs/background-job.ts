import type { Provider, Type } from '@nestjs/common';
import { APP_CONFIG } from '@paychat/platform';
import type { WalletEnv } from '../wallet.env';
import { type Job, JobScheduler } from './job-scheduler';

/**
 * A feature module's provider that registers the feature's background job with the scheduler:
 * `owner` is the feature's service the job runs, `job` its cadence and run.
 */
export function backgroundJob<T>(
  name: string,
  owner: Type<T>,
  job: (owner: T, config: WalletEnv) => Omit<Job, 'name'>,
): Provider {
  return {
    provide: `job:${name}`,
    inject: [JobScheduler, owner, APP_CONFIG],
    useFactory: (jobs: JobScheduler, service: T, config: WalletEnv) =>
      jobs.register({ name, ...job(service, config) }),
  };
}
