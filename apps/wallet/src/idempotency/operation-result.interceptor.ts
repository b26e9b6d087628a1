import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, Observable } from 'rxjs';
import { OperationResult, REPLAYED_HEADER } from './operation-result';

/** Sends an operation's own status (201 done, 202 pending) and marks replays (`Idempotent-Replayed`). */
@Injectable()
export class OperationResultInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((value: unknown) => {
        if (!(value instanceof OperationResult)) return value;
        const reply = context.switchToHttp().getResponse<FastifyReply>();
        reply.status(value.status);
        if (value.replayed) reply.header(REPLAYED_HEADER, 'true');
        return value.body;
      }),
    );
  }
}
