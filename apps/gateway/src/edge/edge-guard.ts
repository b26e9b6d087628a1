import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AuthUser, TokenVerifier } from '@paychat/auth';
import { AppError, sendProblem } from '@paychat/errors';
import { FailFastRedis, type Readiness, type RequestLogFields } from '@paychat/platform';
import type { Metrics } from '@paychat/telemetry';
import type { GatewayEnv } from '../gateway.env';
import { type EdgeRequest, registerLimits } from './edge-limits';
import { tierOf } from './rate-limits.config';
import { routerPath } from './request-path';

/** Paths that are the gateway's own plumbing (the console's page and files too): no token, no limit. */
const OPEN = /^\/(health\/|docs|openapi\.(json|yaml)$|admin\/?$|admin\/assets\/)/;
/** Every proxied /v2 and /admin route needs a token; /v2/auth is the gateway's own, public. */
const NEEDS_TOKEN = /^\/(v2|admin)(\/|$)/;
const PUBLIC = /^\/v2\/auth(\/|$)/;
const ADMIN = /^\/admin(\/|$)/;

const edgeOf = (request: FastifyRequest) => (request as EdgeRequest).edge;

/**
 * What every request meets first, before any route: a path the router could read differently from
 * the edge is a 400 `invalid_path`; the caller's access token is verified (missing on a route that
 * needs one or invalid: 401 here, before the body is read or an upstream is called), `/admin/*`
 * needs the admin group (else 403), and the rate limits of the request's tier are counted per IP,
 * per user and, on the auth routes, per account named in the body. Exceeding one is a 429 problem
 * with Retry-After. The services still verify tokens themselves. Redis (the shared counters) failing
 * costs nothing but the limits: commands fail at once, readiness shows it degraded.
 */
export async function registerEdgeGuard(
  fastify: FastifyInstance,
  config: GatewayEnv,
  verifier: TokenVerifier,
  readiness: Readiness,
  metrics: Metrics,
): Promise<() => Promise<void>> {
  const redis = config.REDIS_URL ? new FailFastRedis(config.REDIS_URL, 'rate-limits') : undefined;
  if (redis) {
    readiness.registerDegradable('redis', () => redis.state);
    // The first requests of a new instance would otherwise all go unlimited while Redis connects.
    await redis.firstConnect();
  }
  const limits = await registerLimits(fastify, config, metrics, redis?.client);

  const guarded = (step: (request: FastifyRequest) => Promise<void>) =>
    async function (request: FastifyRequest, reply: FastifyReply) {
      try {
        await step(request);
      } catch (err) {
        if (!(err instanceof AppError)) request.log.error({ err }, 'edge guard failed');
        return sendProblem(
          bodyUnread(request, reply),
          err instanceof AppError ? err : { code: 'internal_error', status: 500 },
        );
      }
    };

  fastify.addHook(
    'onRequest',
    guarded(async (request) => {
      const path = routerPath(request.url);
      if (path === undefined) throw new AppError('invalid_path', 'Path is not in canonical form');
      if (OPEN.test(path)) return;
      const user = await callerOf(request, path, verifier);
      (request as EdgeRequest).edge = { path, tier: tierOf(request.method, path), user };
      await limits.caller(request);
    }),
  );
  // The account a sign-in, sign-up or reset names is known once its body is parsed: the gateway's
  // own routes (proxied bodies are passed on unparsed; legacy throttles its /v1/login itself).
  fastify.addHook(
    'preHandler',
    guarded(async (request) => {
      const edge = edgeOf(request);
      const email = (request.body as { email?: unknown } | undefined)?.email;
      if (edge?.tier !== 'auth' || typeof email !== 'string') return;
      edge.account = createHash('sha256').update(email.trim().toLowerCase()).digest('base64url');
      await limits.account(request);
    }),
  );
  // Admin answers carry personal data: never stored by a browser or an intermediary.
  fastify.addHook('onSend', async (request, reply) => {
    const path = edgeOf(request)?.path;
    if (path && ADMIN.test(path)) reply.header('cache-control', 'no-store');
  });
  return async () => {
    await redis?.quit();
  };
}

/** A body the edge refuses before reading is not drained: the connection goes with the answer. */
export function bodyUnread(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const announced =
    Number(request.headers['content-length'] ?? 0) > 0 || 'transfer-encoding' in request.headers;
  return announced && !request.raw.readableEnded ? reply.header('connection', 'close') : reply;
}

async function callerOf(
  request: FastifyRequest,
  path: string,
  verifier: TokenVerifier,
): Promise<AuthUser | undefined> {
  if (!NEEDS_TOKEN.test(path) || PUBLIC.test(path)) return undefined; // /v1: legacy sessions, checked by legacy
  const user = await verifier.verifyBearer(request.headers.authorization);
  if (ADMIN.test(path)) verifier.assertAdmin(user);
  (request.raw as RequestLogFields).sub = user.sub;
  return user;
}
