import { setTimeout } from 'node:timers/promises';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { classify, sendProblem } from '@paychat/errors';
import { ServiceKeys } from '@paychat/signing';
import { Metrics } from '@paychat/telemetry';
import type { Lane, ServiceRegistry, Target } from '../discovery/service-registry';
import { isLongPoll, registerInFlightCaps } from '../edge/in-flight';
import type { GatewayEnv } from '../gateway.env';
import { RouteEntry, type UpstreamName, upstreamPath } from '../routing/route-table';
import { forwardHeaders, withoutHopByHop } from './forward-headers';
import { legacySessionHandler } from './legacy-session';
import { isConnectFailure, isConnectionError, sendUpstreamProblem } from './upstream-errors';
import { UpstreamCalls } from './upstream-metrics';

/** Tries after the first: at once to a ready instance not tried yet, else to one again after a pause. */
const MAX_RETRIES = 2;
/** The pause before repeating an instance, jittered so retries do not arrive in step (ms). */
const REPEAT_BACKOFF = { min: 50, spread: 100 };
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a failed attempt may be sent again: a request that never left (no connection was made), or
 * a safe one whatever happened. A write whose connection broke may have been acted on upstream (the
 * commit can precede the reset), so it is not repeated: the caller, who holds the Idempotency-Key,
 * decides.
 */
const mayRetry = (method: string, err: unknown) =>
  isConnectFailure(err) || (SAFE.has(method) && isConnectionError(err));

/**
 * The strangler route table, served: each entry's prefix (and everything below it) goes to its
 * upstream over the registry's keep-alive undici pools — long-polls over their own. Per-route
 * timeouts (504), an unreachable upstream (503 + Retry-After), hop-by-hop headers stripped,
 * X-Forwarded-*, the request id and the caller's token passed on. Anything not in the table is a 404
 * from the gateway; `/internal/*` never matches. undici's pools are used directly (what
 * @fastify/reply-from wraps): discovery owns balanced pools per service.
 *
 * A body is read whole (≤ 1 MiB, within the server's request deadline) before an upstream
 * connection is taken, so a client that never finishes its upload holds only its own socket and
 * slot under the in-flight caps, never an upstream connection; a retry sends the same bytes.
 */
export async function registerProxy(
  app: NestFastifyApplication,
  config: GatewayEnv,
  registry: ServiceRegistry,
  routes: RouteEntry[],
): Promise<void> {
  const keys = ServiceKeys.parse(config.INTERNAL_SECRETS, 'gateway');
  const metrics = app.get(Metrics);
  const calls = new UpstreamCalls(metrics);
  await app.register(async (instance: FastifyInstance) => {
    // Errors of these raw Fastify routes (a body over the limit, mostly) answer problem+json like Nest's.
    instance.setErrorHandler((err, request, reply) => {
      if (request.raw.destroyed) return; // the client left mid-body: nobody to answer
      const known = classify(err);
      if (!known || known.status >= 500) reply.log.error({ err, requestId: request.id }, 'proxy failed');
      // The rest of a refused body is not read: the connection goes with the answer.
      return sendProblem(
        reply.header('connection', 'close'),
        known ?? { code: 'internal_error', status: 500 },
      );
    });
    // Any body is taken as bytes, whole, within the server's body limit (413 past it).
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    registerInFlightCaps(instance, config, metrics);
    for (const route of routes) {
      const timeoutMs = route.timeoutMs ?? config.UPSTREAM_TIMEOUT_MS;
      const handler =
        route.auth === 'legacy-session'
          ? legacySessionHandler(route, registry, calls, { key: keys.signingKey(route.upstream), timeoutMs })
          : forward(route, registry, calls, timeoutMs);
      instance.all(route.prefix, handler);
      instance.all(`${route.prefix}/*`, handler);
    }
  });
}

/** Aborted when the client goes away before its answer is complete: the upstream call is dropped too. */
function whileClientWaits(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}

function forward(route: RouteEntry, registry: ServiceRegistry, calls: UpstreamCalls, timeoutMs: number) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : undefined;
    const headers = forwardHeaders(request, request.headers);
    const path = upstreamPath(route, request.url);
    const lane: Lane = isLongPoll(request) ? 'long-poll' : 'default';
    const signal = whileClientWaits(reply);
    const tried: string[] = [];
    for (;;) {
      try {
        const target = await nextTarget(registry, route.upstream, lane, tried);
        if (signal.aborted) return reply;
        tried.push(target.origin);
        const answer = await calls.request(route.upstream, target.dispatcher, {
          path,
          method: request.method as 'GET',
          headers: headers as Record<string, string>,
          body,
          signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        return reply
          .status(answer.statusCode)
          .headers(withoutHopByHop(answer.headers as Record<string, string>))
          .send(answer.body);
      } catch (err) {
        if (signal.aborted) return reply; // nobody left to answer
        if (tried.length <= MAX_RETRIES && mayRetry(request.method, err)) continue;
        return sendUpstreamProblem(reply, err as Error);
      }
    }
  };
}

/** Where the next attempt goes: at once to an instance not tried yet, one tried already after a pause. */
async function nextTarget(
  registry: ServiceRegistry,
  upstream: UpstreamName,
  lane: Lane,
  tried: readonly string[],
): Promise<Target> {
  const target = registry.pick(upstream, lane, tried);
  if (!target.again) return target;
  await setTimeout(REPEAT_BACKOFF.min + Math.random() * REPEAT_BACKOFF.spread);
  return registry.pick(upstream, lane, tried); // another may have become ready meanwhile
}
