import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';
import { IdempotentOperation } from './idempotent-operation';
import { OperationResultInterceptor } from './operation-result.interceptor';

@Module({
  providers: [
    IdempotencyKeysRepository,
    IdempotentOperation,
    { provide: APP_INTERCEPTOR, useClass: OperationResultInterceptor },
  ],
  exports: [IdempotentOperation, IdempotencyKeysRepository],
})
export class IdempotencyModule {}
