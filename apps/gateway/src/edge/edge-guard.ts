import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { type AuthUser, bearerToken, TokenVerifier } from '@paychat/auth';
import { AppError, sendProblem } from '@paychat/errors';
import type { RequestLogFields } from '@paychat/platform';
import type { GatewayEnv } from '../gateway.env';
import { RateLimits, Tier, tierOf } from './rate-limits.config';

type EdgeRequest = FastifyRequest & { edge?: { tier: Tier; user?: AuthUser } };

/** Paths that are the gateway's own plumbing: no token, no limit. */
const OPEN = /^\/(health\/|docs|openapi\.(json|yaml)$)/;

/**
 * What every request meets first, before any route: the caller's access token is verified (an
 * invalid one is a 401 here, not at the upstream), `/admin/*` needs the admin group (else 403), and
 * the rate limits of the request's tier are counted per IP and per user — in Redis when
 * REDIS_URL is set (shared by every gateway instance), else in memory. Exceeding one is a 429
 * problem with Retry-After. The services still verify tokens themselves.
 */
export async function registerEdgeGuard(
  fastify: FastifyInstance,
  config: GatewayEnv,
  verifier: TokenVerifier,
): Promise<() => Promise<void>> {
  const limits = JSON.parse(config.RATE_LIMITS) as RateLimits;
  // Auto-pipelining: the counters of concurrent requests travel to Redis in one write.
  const redis = config.REDIS_URL
    ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableAutoPipelining: true })
    : undefined;
  redis?.on('error', (err: Error) => fastify.log.warn({ err: err.message }, 'rate-limit store'));
  await fastify.register(rateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: 'paychat:rl:' } : {}),
    // A store outage must not take the API down with it: count nothing rather than refuse everything.
    skipOnError: true,
  });
  const edge = (req: FastifyRequest) => (req as EdgeRequest).edge!;
  const perIp = fastify.createRateLimit({
    timeWindow: config.RATE_LIMIT_WINDOW_MS,
    keyGenerator: (req) => `ip:${edge(req).tier}:${req.ip}`,
    max: (req) => limits[edge(req).tier].perIp,
  });
  const perUser = fastify.createRateLimit({
    timeWindow: config.RATE_LIMIT_WINDOW_MS,
    // Keys are made before the allow list is asked: requests without a user pass through the list.
    keyGenerator: (req) => `user:${edge(req).tier}:${edge(req).user?.sub ?? '-'}`,
    max: (req) => limits[edge(req).tier].perUser ?? Number.MAX_SAFE_INTEGER,
    allowList: (req) => !edge(req).user || !limits[edge(req).tier].perUser,
  });

  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?', 1)[0];
    if (OPEN.test(path)) return;
    try {
      const user = await callerOf(request, path, verifier, config.COGNITO_ADMIN_GROUP);
      (request as EdgeRequest).edge = { tier: tierOf(request.method, path), user };
      // Both counters in one round trip to the store.
      let retryAfter = 0;
      for (const r of await Promise.all([perIp(request), perUser(request)]))
        if (!r.isAllowed && r.isExceeded) retryAfter = Math.max(retryAfter, r.ttlInSeconds, 1);
      if (retryAfter > 0)
        throw new AppError('rate_limited', 'Too many requests; retry later', undefined, {
          'retry-after': String(retryAfter),
        });
    } catch (err) {
      if (err instanceof AppError) return sendProblem(reply, err);
      request.log.error({ err }, 'edge guard failed');
      return sendProblem(reply, { code: 'internal_error', status: 500 });
    }
  });
  // Admin answers carry personal data: never stored by a browser or an intermediary.
  fastify.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/admin/')) reply.header('cache-control', 'no-store');
  });
  return async () => {
    await redis?.quit().catch(() => undefined);
  };
}

async function callerOf(
  request: FastifyRequest,
  path: string,
  verifier: TokenVerifier,
  adminGroup: string,
): Promise<AuthUser | undefined> {
  if (path.startsWith('/v1/')) return undefined; // legacy sessions, checked by legacy (or the ACL)
  const token = bearerToken(request.headers.authorization);
  const admin = path.startsWith('/admin/');
  if (!token) {
    if (admin)
      throw new AppError('unauthorized', 'Bearer access token required', undefined, {
        'www-authenticate': 'Bearer',
      });
    return undefined;
  }
  const user = await verifier.verify(token);
  if (admin && !user.groups.includes(adminGroup)) throw new AppError('forbidden', 'Admin group required');
  (request.raw as RequestLogFields).userId = user.sub;
  return user;
}
