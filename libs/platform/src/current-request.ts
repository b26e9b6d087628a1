import { AsyncLocalStorage } from 'node:async_hooks';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';

const requestIds = new AsyncLocalStorage<string>();

/** The id (`x-request-id`) of the request the calling code serves; undefined in a background job. */
export function currentRequestId(): string | undefined {
  return requestIds.getStore();
}

/**
 * Makes the request's id known to everything its handler runs — the rows it writes, its calls to
 * other services — as the trace context is, without passing it down every signature. Every app
 * has it (CoreModule). Guards run before it: they are handed the request's id themselves.
 */
@Injectable()
export class CurrentRequestInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const { id } = context.switchToHttp().getRequest<FastifyRequest>();
    // Nest binds the handler to the async context that `handle()` is called in.
    return requestIds.run(id, () => next.handle());
  }
}
