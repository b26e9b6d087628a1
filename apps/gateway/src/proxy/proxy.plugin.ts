import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import replyFrom from '@fastify/reply-from';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawServerBase,
  RouteGenericInterface,
} from 'fastify';
import { AppError, PROBLEM_CONTENT_TYPE, toProblem } from '@paychat/errors';
import type { GatewayEnv } from '../gateway.env';
import { forwardHeaders, withoutHopByHop } from './forward-headers';

export interface ProxyRoute {
  prefix: string;
  upstream: string;
  /** Overrides UPSTREAM_TIMEOUT_MS (chat long-polls hold a request up to 25 s). */
  timeoutMs?: number;
}

/** The longest chat long-poll (waitSeconds ≤ 25) plus room for the upstream's own work. */
const LONG_POLL_TIMEOUT_MS = 30_000;

/** Seconds a client should wait before retrying when an upstream is down. */
const RETRY_AFTER_SECONDS = '5';

function sendUpstreamProblem(
  reply: FastifyReply<RouteGenericInterface, RawServerBase>,
  error: Error & { statusCode?: number },
): void {
  const timedOut = error.statusCode === 504;
  const err = timedOut
    ? new AppError('upstream_timeout', 'The upstream service did not answer in time')
    : new AppError('upstream_unavailable', 'The upstream service is unavailable', undefined, {
        'retry-after': RETRY_AFTER_SECONDS,
      });
  reply.log.warn({ err: error, requestId: reply.request.id }, 'upstream failed');
  reply
    .status(err.status)
    .headers({ ...err.headers, 'content-type': PROBLEM_CONTENT_TYPE })
    .send(toProblem(err, reply.request.id));
}

/**
 * Streams requests under each prefix to its upstream with @fastify/reply-from (undici pools,
 * keep-alive). Registered as an encapsulated plugin so bodies are piped through unparsed.
 */
export async function registerProxy(app: NestFastifyApplication, config: GatewayEnv): Promise<void> {
  const routes: ProxyRoute[] = [
    { prefix: '/v1', upstream: config.LEGACY_URL },
    { prefix: '/v2/me', upstream: config.WALLET_URL },
    { prefix: '/v2/users', upstream: config.WALLET_URL },
    { prefix: '/v2/wallet', upstream: config.WALLET_URL },
    { prefix: '/v2/conversations', upstream: config.MESSAGES_URL, timeoutMs: LONG_POLL_TIMEOUT_MS },
    { prefix: '/v2/devices', upstream: config.MESSAGES_URL },
    { prefix: '/admin/v2', upstream: config.WALLET_URL },
  ];
  await app.register(async (instance: FastifyInstance) => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    await instance.register(replyFrom, {
      disableRequestLogging: true,
      undici: {
        connections: 128,
        pipelining: 1,
        keepAliveTimeout: 60_000,
        headersTimeout: config.UPSTREAM_TIMEOUT_MS,
        bodyTimeout: config.UPSTREAM_TIMEOUT_MS,
      },
    });
    for (const route of routes) {
      const forward = (request: FastifyRequest, reply: FastifyReply) =>
        reply.from(`${route.upstream}${request.url}`, {
          ...(route.timeoutMs ? { timeout: route.timeoutMs } : {}),
          rewriteRequestHeaders: forwardHeaders,
          rewriteHeaders: (headers) => withoutHopByHop(headers),
          onError: (r, { error }) => sendUpstreamProblem(r, error),
        });
      instance.all(route.prefix, forward);
      instance.all(`${route.prefix}/*`, forward);
    }
  });
}
