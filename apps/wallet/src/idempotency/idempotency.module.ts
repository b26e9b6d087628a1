import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IdempotentOperation } from './idempotent-operation';
import { OperationResultInterceptor } from './operation-result.interceptor';

@Module({
  providers: [IdempotentOperation, { provide: APP_INTERCEPTOR, useClass: OperationResultInterceptor }],
  exports: [IdempotentOperation],
})
export class IdempotencyModule {}
