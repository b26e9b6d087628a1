import { Readable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, classify, sendProblem } from '@paychat/errors';
import { ServiceKeys } from '@paychat/signing';
import type { ServiceRegistry } from '../discovery/service-registry';
import type { GatewayEnv } from '../gateway.env';
import { RouteEntry, upstreamPath } from '../routing/route-table';
import { forwardHeaders, withoutHopByHop } from './forward-headers';
import { limitedBody } from './body-limit';
import { legacySessionHandler, readAll } from './legacy-session';
import { isConnectionError, sendUpstreamProblem } from './upstream-errors';

/** Tries after the first, each to the next healthy instance (the balanced pool moves on). */
const MAX_RETRIES = 2;
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A request may be sent again after a connection failure only if repeating it cannot do anything
 * twice: a safe method, or a write the caller made idempotent with an Idempotency-Key.
 */
const retriable = (request: FastifyRequest) =>
  SAFE.has(request.method) || typeof request.headers['idempotency-key'] === 'string';

/** The body stream's own error (the body limit), as thrown or wrapped by undici. */
const bodyError = (err: unknown): AppError | undefined =>
  err instanceof AppError
    ? err
    : err instanceof Error && err.cause instanceof AppError
      ? err.cause
      : undefined;

/**
 * The strangler route table, served: each entry's prefix (and everything below it) streams to its
 * upstream over the registry's keep-alive undici pools. Per-route timeouts (504), an unreachable
 * upstream (503 + Retry-After), hop-by-hop headers stripped, X-Forwarded-*, the request id and the
 * caller's token passed on. Anything not in the table is a 404 from the gateway; `/internal/*`
 * never matches. undici's pools are used directly (what @fastify/reply-from wraps): discovery owns
 * a balanced pool per service, and a retried write is sent again with its buffered body.
 */
export async function registerProxy(
  app: NestFastifyApplication,
  config: GatewayEnv,
  registry: ServiceRegistry,
  routes: RouteEntry[],
): Promise<void> {
  const keys = ServiceKeys.parse(config.INTERNAL_SECRETS, 'gateway');
  await app.register(async (instance: FastifyInstance) => {
    // Errors of these raw Fastify routes (a body over the limit, mostly) answer problem+json like Nest's.
    instance.setErrorHandler((err, request, reply) => {
      const known = classify(bodyError(err) ?? err);
      if (!known || known.status >= 500) reply.log.error({ err, requestId: request.id }, 'proxy failed');
      // The rest of a refused body is not read: the connection goes with the answer.
      return sendProblem(
        reply.header('connection', 'close'),
        known ?? { code: 'internal_error', status: 500 },
      );
    });
    // Bodies pass through unparsed (streamed, within the body limit), except where a retry needs them again.
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', (request, payload, done) => {
      try {
        done(null, limitedBody(request.headers['content-length'], payload));
      } catch (err) {
        done(err as Error, undefined);
      }
    });
    for (const route of routes) {
      const timeoutMs = route.timeoutMs ?? config.UPSTREAM_TIMEOUT_MS;
      const handler =
        route.auth === 'legacy-session'
          ? legacySessionHandler(route, registry, { key: keys.signingKey(route.upstream), timeoutMs })
          : forward(route, registry, timeoutMs);
      instance.all(route.prefix, handler);
      instance.all(`${route.prefix}/*`, handler);
    }
  });
}

function forward(route: RouteEntry, registry: ServiceRegistry, timeoutMs: number) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const canRetry = retriable(request);
    const payload = request.body instanceof Readable ? request.body : undefined;
    // A streamed body can be sent once; a retriable write keeps its (≤ 1 MiB) body to send again.
    const body = canRetry && payload ? await readAll(payload) : payload;
    const headers = forwardHeaders(request, request.headers);
    const path = upstreamPath(route, request.url);
    for (let attempt = 0; ; attempt++) {
      try {
        const answer = await registry.dispatcher(route.upstream).request({
          path,
          method: request.method as 'GET',
          headers: headers as Record<string, string>,
          body,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        return reply
          .status(answer.statusCode)
          .headers(withoutHopByHop(answer.headers as Record<string, string>))
          .send(answer.body);
      } catch (err) {
        if (canRetry && attempt < MAX_RETRIES && isConnectionError(err)) continue;
        const refused = bodyError(err);
        if (refused) return sendProblem(reply.header('connection', 'close'), refused); // cut at the body limit
        return sendUpstreamProblem(reply, err as Error);
      }
    }
  };
}
