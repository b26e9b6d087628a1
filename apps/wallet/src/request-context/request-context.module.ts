import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CurrentRequestInterceptor } from './current-request';

/** The request's id, known to the code its handler runs (currentRequestId). */
@Module({
  providers: [{ provide: APP_INTERCEPTOR, useClass: CurrentRequestInterceptor }],
})
export class RequestContextModule {}
