import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, sendProblem } from '@paychat/errors';
import type { Metrics } from '@paychat/telemetry';
import type { GatewayEnv } from '../gateway.env';
import { bodyUnread } from './edge-guard';
import type { EdgeRequest } from './edge-limits';

/** Most requests finish within a second, freeing their slots. */
const RETRY_AFTER_SECONDS = '1';
/** The chat's long-poll: a GET that asks to wait for news (`waitSeconds` other than 0). */
const WAIT_PARAM = 'waitSeconds';

/** Whose cap a refused request hit (gateway_in_flight_rejections_total{scope}). */
type Scope = 'instance' | 'ip' | 'user' | 'long_poll';
type Claim = readonly [key: string, max: number, scope: Scope];

/**
 * Requests in progress, counted by key. In memory: each gateway instance guards its own sockets,
 * buffers and upstream connections.
 */
export class InFlight {
  private readonly counts = new Map<string, number>();

  /** A slot under every claim (the release may be called more than once), or the first claim that is full. */
  tryAcquire(claims: readonly Claim[]): { release: () => void } | { full: Claim } {
    const full = claims.find(([key, max]) => (this.counts.get(key) ?? 0) >= max);
    if (full) return { full };
    for (const [key] of claims) this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      for (const [key] of claims) {
        const left = this.counts.get(key)! - 1;
        if (left > 0) this.counts.set(key, left);
        else this.counts.delete(key);
      }
    };
    return { release };
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
 * leaves; over a cap, 429 too_many_in_flight at once, without reading the body. Refusals are
 * counted by the cap's scope, and the long-polls held open are a gauge.
 */
export function registerInFlightCaps(instance: FastifyInstance, config: GatewayEnv, metrics: Metrics): void {
  const inFlight = new InFlight();
  const rejections = metrics.counter({
    name: 'gateway_in_flight_rejections_total',
    help: 'Requests refused with 429 too_many_in_flight, by the scope of the cap they hit',
    labelNames: ['scope'],
  });
  const longPolls = metrics.gauge({
    name: 'gateway_long_polls_in_flight',
    help: 'Long-polls this gateway instance holds open',
  });
  instance.addHook('onRequest', async (request, reply) => {
    const user = (request as EdgeRequest).edge?.user?.sub;
    const longPoll = isLongPoll(request);
    const claims: Claim[] = longPoll
      ? [
          ['long-poll', config.LONG_POLL_MAX_IN_FLIGHT, 'long_poll'],
          [
            user ? `long-poll:user:${user}` : `long-poll:ip:${request.ip}`,
            config.LONG_POLL_MAX_PER_USER,
            'long_poll',
          ],
        ]
      : [
          ['all', config.EDGE_MAX_IN_FLIGHT, 'instance'],
          [`ip:${request.ip}`, config.EDGE_MAX_IN_FLIGHT_PER_IP, 'ip'],
          ...(user ? [[`user:${user}`, config.EDGE_MAX_IN_FLIGHT_PER_USER, 'user'] as const] : []),
        ];
    const slot = inFlight.tryAcquire(claims);
    if ('release' in slot) {
      if (longPoll) longPolls.inc();
      // 'close' follows the answer's last byte, or the client going away first.
      reply.raw.once('close', () => {
        slot.release();
        if (longPoll) longPolls.dec();
      });
      return;
    }
    rejections.inc({ scope: slot.full[2] });
    return sendProblem(
      bodyUnread(request, reply),
      new AppError('too_many_in_flight', 'Too many requests in progress; retry later', undefined, {
        'retry-after': RETRY_AFTER_SECONDS,
      }),
    );
  });
}
