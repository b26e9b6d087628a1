import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER } from '@paychat/platform';

/** RFC 9110 §7.6.1: meaningful for one connection only, never forwarded. */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

export function withoutHopByHop<T extends Record<string, unknown>>(headers: T): T {
  const out = { ...headers };
  const listed = String(headers.connection ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const name of [...HOP_BY_HOP, ...listed]) delete out[name];
  return out;
}

/**
 * Trace context a client sent: never passed on. Ours is injected by the HTTP instrumentation on
 * the way out, and a copied one beside it would make the header doubled (invalid, so the upstream
 * would start a new trace); the edge starts every trace itself.
 */
const CLIENT_TRACE_CONTEXT = ['traceparent', 'tracestate', 'baggage'];

/**
 * What an upstream sees: the caller's headers (its token…) without its trace context, plus who
 * really called and our request id.
 */
export function forwardHeaders(
  request: Pick<FastifyRequest, 'id' | 'protocol'> & { socket: { remoteAddress?: string } },
  headers: IncomingHttpHeaders,
): IncomingHttpHeaders {
  const out = withoutHopByHop(headers);
  const prior = headers['x-forwarded-for'];
  const peer = request.socket.remoteAddress ?? 'unknown';
  out['x-forwarded-for'] = prior ? `${String(prior)}, ${peer}` : peer;
  out['x-forwarded-proto'] = (headers['x-forwarded-proto'] as string | undefined) ?? request.protocol;
  out['x-forwarded-host'] = (headers['x-forwarded-host'] as string | undefined) ?? headers.host;
  out[REQUEST_ID_HEADER] = request.id;
  delete out.host;
  for (const name of CLIENT_TRACE_CONTEXT) delete out[name];
  return out;
}
