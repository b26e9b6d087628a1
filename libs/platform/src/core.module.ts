import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import type { BaseEnv } from '@paychat/config';
import { ProblemFilter } from '@paychat/errors';
import { Metrics } from '@paychat/telemetry';
import { CurrentRequestInterceptor } from './current-request';
import { HealthController } from './health.controller';
import { loggerModule, type LoggingOptions } from './logging';
import { Readiness } from './readiness';
import { APP_CONFIG, SERVICE_NAME } from './tokens';
import { validationPipe } from './validation';

/**
 * What every paychat app has: its config, logging, the error filter, validation, the request's id
 * to the code it runs (currentRequestId), health and metrics.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(service: string, config: BaseEnv, logging: LoggingOptions = {}): DynamicModule {
    return {
      module: CoreModule,
      imports: [loggerModule(service, config, logging)],
      controllers: [HealthController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: SERVICE_NAME, useValue: service },
        { provide: config.constructor, useValue: config },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useFactory: validationPipe },
        { provide: APP_INTERCEPTOR, useClass: CurrentRequestInterceptor },
        Readiness,
        { provide: Metrics, useValue: new Metrics(service) },
      ],
      exports: [APP_CONFIG, SERVICE_NAME, config.constructor as never, Readiness, Metrics],
    };
  }
}
