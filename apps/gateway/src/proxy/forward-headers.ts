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

/** What an upstream sees: the caller's headers (token, traceparent…) plus who really called and our request id. */
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
  return out;
}
