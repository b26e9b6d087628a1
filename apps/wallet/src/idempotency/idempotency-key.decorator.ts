import { createHash } from 'node:crypto';
import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '@paychat/errors';

/** The caller's promise that retries of this request carry the same key. */
export interface IdempotencyScope {
  key: string;
  method: string;
  /** The concrete path, ids included, without the query string. */
  path: string;
}

const PRINTABLE_ASCII = /^[\x21-\x7e]{1,255}$/;

export const Idempotency = createParamDecorator((_: unknown, ctx: ExecutionContext): IdempotencyScope => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || !PRINTABLE_ASCII.test(key)) {
    throw new AppError(
      'idempotency_key_required',
      'Idempotency-Key header (1–255 printable ASCII characters) is required',
    );
  }
  return { key, method: request.method, path: request.url.split('?')[0] };
});

/** SHA-256 of the body with keys sorted, so `{a,b}` and `{b,a}` are the same request. */
export function canonicalHash(body: unknown): string {
  const canonical = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
        )
      : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(body) ?? null))
    .digest('hex');
}
