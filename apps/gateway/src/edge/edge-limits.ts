import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Counter } from 'prom-client';
import type { AuthUser } from '@paychat/auth';
import { AppError } from '@paychat/errors';
import type { Metrics } from '@paychat/telemetry';
import type { GatewayEnv } from '../gateway.env';
import type { RateLimits, Tier } from './rate-limits.config';

/** What the edge learnt about a request: its decoded path, tier, caller and named account. */
export interface EdgeContext {
  path: string;
  tier: Tier;
  user?: AuthUser;
  /** A digest of the normalised email the request names (auth routes): fixed size, no address in Redis. */
  account?: string;
}

export type EdgeRequest = FastifyRequest & { edge?: EdgeContext };

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/**
 * The rate-limit counters: per address and per user (known from the headers), per account (known
 * once the body is parsed). In Redis when given (shared by every gateway instance), else in memory.
 * A store error counts nothing: a Redis outage must not take the API down with it (fail open).
 * Each refusal is counted by tier (gateway_rate_limit_rejections_total).
 */
export async function registerLimits(
  fastify: FastifyInstance,
  config: GatewayEnv,
  metrics: Metrics,
  redis?: Redis,
) {
  const limits = JSON.parse(config.RATE_LIMITS) as RateLimits;
  await fastify.register(rateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: 'paychat:rl:' } : {}),
    skipOnError: true,
  });
  const edge = (req: FastifyRequest) => (req as EdgeRequest).edge!;
  const rejections = metrics.counter({
    name: 'gateway_rate_limit_rejections_total',
    help: 'Requests refused with 429 rate_limited, by rate-limit tier',
    labelNames: ['tier'],
  });
  const limiter = (
    kind: string,
    keyOf: (req: FastifyRequest) => string | undefined,
    max: (t: Tier) => number | undefined,
  ) =>
    fastify.createRateLimit({
      timeWindow: config.RATE_LIMIT_WINDOW_MS,
      keyGenerator: (req) => `${kind}:${edge(req).tier}:${keyOf(req) ?? '-'}`,
      max: (req) => max(edge(req).tier) ?? Number.MAX_SAFE_INTEGER,
      // Keys are made before the allow list is asked: requests without one pass through the list.
      allowList: (req) => keyOf(req) === undefined || max(edge(req).tier) === undefined,
    });
  const perIp = limiter(
    'ip',
    (req) => req.ip,
    (t) => limits[t].perIp,
  );
  const perUser = limiter(
    'user',
    (req) => edge(req).user?.sub,
    (t) => limits[t].perUser,
  );
  const perAccount = limiter(
    'account',
    (req) => edge(req).account,
    (t) => limits[t].perAccount ?? limits[t].perIp,
  );
  return {
    /** Per address and per user, in one round trip to the store. */
    caller: (req: FastifyRequest) => enforce(req, [perIp, perUser], rejections),
    account: (req: FastifyRequest) => enforce(req, [perAccount], rejections),
  };
}

/** Throws the 429 problem (with Retry-After) if any of the counters is over its limit. */
async function enforce(req: FastifyRequest, limiters: Limiter[], rejections: Counter<'tier'>): Promise<void> {
  let retryAfter = 0;
  for (const r of await Promise.all(limiters.map((l) => l(req))))
    if (!r.isAllowed && r.isExceeded) retryAfter = Math.max(retryAfter, r.ttlInSeconds, 1);
  if (retryAfter === 0) return;
  rejections.inc({ tier: (req as EdgeRequest).edge!.tier });
  throw new AppError('rate_limited', 'Too many requests; retry later', undefined, {
    'retry-after': String(retryAfter),
  });
}
