import type { FastifyReply, RawServerBase, RouteGenericInterface } from 'fastify';
import { AppError, sendProblem } from '@paychat/errors';

/** Seconds a client should wait before retrying when an upstream is down. */
const RETRY_AFTER_SECONDS = '5';

/** No connection was made, so nothing was sent. */
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
/** The connection failed, possibly after the upstream had the request (and acted on it). */
const CONNECTION_ERRORS = new Set([
  ...CONNECT_ERRORS,
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

type UpstreamFailure = Error & { code?: string; statusCode?: number; cause?: unknown };

const hasCode = (codes: Set<string>, err: unknown): boolean => {
  const e = err as UpstreamFailure | undefined;
  return !!e && (codes.has(e.code ?? '') || hasCode(codes, e.cause));
};

/** The upstream could not be reached: any request may go to another instance. */
export const isConnectFailure = (err: unknown) => hasCode(CONNECT_ERRORS, err);

/** The upstream could not be reached or dropped the connection: a safe request may go elsewhere. */
export const isConnectionError = (err: unknown) => hasCode(CONNECTION_ERRORS, err);

function isTimeout(err: UpstreamFailure): boolean {
  return (
    err.statusCode === 504 ||
    err.code === 'UND_ERR_HEADERS_TIMEOUT' ||
    err.code === 'UND_ERR_BODY_TIMEOUT' ||
    (err.cause instanceof Error && isTimeout(err.cause as UpstreamFailure))
  );
}

/** 504 when the upstream was too slow, else 503 with Retry-After; the cause is logged, never shown. */
export function sendUpstreamProblem<R extends FastifyReply<RouteGenericInterface, RawServerBase>>(
  reply: R,
  error: UpstreamFailure,
): R {
  reply.log.warn({ err: error, requestId: reply.request.id }, 'upstream failed');
  return sendProblem(
    reply,
    isTimeout(error)
      ? new AppError('upstream_timeout', 'The upstream service did not answer in time')
      : new AppError('upstream_unavailable', 'The upstream service is unavailable', undefined, {
          'retry-after': RETRY_AFTER_SECONDS,
        }),
  );
}
