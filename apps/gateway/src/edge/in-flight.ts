import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, sendProblem } from '@paychat/errors';
import type { GatewayEnv } from '../gateway.env';
import { bodyUnread } from './edge-guard';
import type { EdgeRequest } from './edge-limits';

/** Most requests finish within a second, freeing their slots. */
const RETRY_AFTER_SECONDS = '1';
/** The chat's long-poll: a GET that asks to wait for news (`waitSeconds` other than 0). */
const WAIT_PARAM = 'waitSeconds';

type Claim = readonly [key: string, max: number];

/**
 * Requests in progress, counted by key. In memory: each gateway instance guards its own sockets,
 * buffers and upstream connections.
 */
export class InFlight {
  private readonly counts = new Map<string, number>();

  /** A slot under every claim, or none if any is full; the release may be called more than once. */
  tryAcquire(claims: readonly Claim[]): (() => void) | undefined {
    if (claims.some(([key, max]) => (this.counts.get(key) ?? 0) >= max)) return undefined;
    for (const [key] of claims) this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      for (const [key] of claims) {
        const left = this.counts.get(key)! - 1;
        if (left > 0) this.counts.set(key, left);
        else this.counts.delete(key);
      }
    };
  }
}

export function isLongPoll(request: Pick<FastifyRequest, 'method' | 'url'>): boolean {
  if (request.method !== 'GET') return false;
  const query = request.url.indexOf('?');
  if (query < 0) return false;
  return new URLSearchParams(request.url.slice(query + 1)).getAll(WAIT_PARAM).some((v) => Number(v) !== 0);
}

/**
 * Caps on what one client can hold open at this instance, so none can pin it: proxied requests per
 * client address and per signed-in user (and in all), long-polls in all and per user. Counted from
 * the first byte (after the edge guard has named the user) until the answer is sent or the client
 * leaves; over a cap, 429 too_many_in_flight at once, without reading the body.
 */
export function registerInFlightCaps(instance: FastifyInstance, config: GatewayEnv): void {
  const inFlight = new InFlight();
  instance.addHook('onRequest', async (request, reply) => {
    const user = (request as EdgeRequest).edge?.user?.sub;
    const claims: Claim[] = isLongPoll(request)
      ? [
          ['long-poll', config.LONG_POLL_MAX_IN_FLIGHT],
          [user ? `long-poll:user:${user}` : `long-poll:ip:${request.ip}`, config.LONG_POLL_MAX_PER_USER],
        ]
      : [
          ['all', config.EDGE_MAX_IN_FLIGHT],
          [`ip:${request.ip}`, config.EDGE_MAX_IN_FLIGHT_PER_IP],
          ...(user ? [[`user:${user}`, config.EDGE_MAX_IN_FLIGHT_PER_USER] as const] : []),
        ];
    const release = inFlight.tryAcquire(claims);
    if (release) {
      // 'close' follows the answer's last byte, or the client going away first.
      reply.raw.once('close', release);
      return;
    }
    return sendProblem(
      bodyUnread(request, reply),
      new AppError('too_many_in_flight', 'Too many requests in progress; retry later', undefined, {
        'retry-after': RETRY_AFTER_SECONDS,
      }),
    );
  });
}
