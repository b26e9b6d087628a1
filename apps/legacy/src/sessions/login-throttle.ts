import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, sendProblem } from '@paychat/errors';
import type { LegacyEnv } from '../legacy.env';

const WINDOW_MS = 60_000;

/** The login a request names, normalised (trimmed, lower case): MySQL finds one user for every spelling. */
const loginOf = (request: FastifyRequest) => {
  const email = (request.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase() : '-';
};

/**
 * Sign-in attempts (`POST /v1/login`) a minute, per address and per login whichever addresses try
 * it: a password guesser is stopped here too, not only at the gateway (the ALB reaches legacy
 * directly). In memory: legacy is one instance. Over either limit: 429 with Retry-After.
 */
export async function registerLoginThrottle(fastify: FastifyInstance, config: LegacyEnv): Promise<void> {
  await fastify.register(rateLimit, { global: false });
  const counters = [
    fastify.createRateLimit({
      timeWindow: WINDOW_MS,
      max: config.LOGIN_ATTEMPTS_PER_IP,
      keyGenerator: (req) => `ip:${req.ip}`,
    }),
    fastify.createRateLimit({
      timeWindow: WINDOW_MS,
      max: config.LOGIN_ATTEMPTS_PER_LOGIN,
      keyGenerator: (req) => `login:${loginOf(req)}`,
    }),
  ];
  // preHandler: the body (and so the login) is parsed by then.
  fastify.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || request.routeOptions.url !== '/v1/login') return;
    const results = await Promise.all(counters.map((count) => count(request)));
    const over = results.filter((r) => !r.isAllowed && r.isExceeded);
    if (!over.length) return;
    const retryAfter = Math.max(1, ...over.map((r) => (r.isAllowed ? 0 : r.ttlInSeconds)));
    return sendProblem(
      reply,
      new AppError('rate_limited', 'Too many sign-in attempts; retry later', undefined, {
        'retry-after': String(retryAfter),
      }),
    );
  });
}
