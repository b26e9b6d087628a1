import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, sendProblem } from '@paychat/errors';
import { REQUEST_ID_HEADER } from '@paychat/platform';
import { type PairKey, signRequest } from '@paychat/signing';
import type { ServiceRegistry } from '../discovery/service-registry';
import { RouteEntry, upstreamPath } from '../routing/route-table';
import { withoutHopByHop } from './forward-headers';
import { sendUpstreamProblem } from './upstream-errors';
import type { UpstreamCalls } from './upstream-metrics';

const SESSION = /^Session [A-Za-z0-9_-]{1,128}$/;

/**
 * The anti-corruption layer for a carved legacy route: the caller still speaks v1 (a legacy
 * `Session` token); the gateway asks the legacy app who that is (`GET /v1/profile`), then calls the
 * new owner with its own service signature and the legacy user id in the path. Nothing the caller
 * sends is trusted as an identity, and the upstream never sees the session token. Only the carved
 * call itself is signed: the route's method on its exact path, without a query.
 */
export function legacySessionHandler(
  route: RouteEntry,
  registry: ServiceRegistry,
  calls: UpstreamCalls,
  sign: { key: PairKey; timeoutMs: number },
) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const outside = outsideTheCarve(route, request);
    if (outside) return sendProblem(reply, outside);
    const session = request.headers.authorization;
    if (!session || !SESSION.test(session)) return sendProblem(reply, sessionRequired());
    const timeouts = { headersTimeout: sign.timeoutMs, bodyTimeout: sign.timeoutMs };
    try {
      const who = await calls.request('legacy', registry.dispatcher('legacy'), {
        path: '/v1/profile',
        method: 'GET',
        headers: { authorization: session, [REQUEST_ID_HEADER]: request.id },
        ...timeouts,
      });
      if (who.statusCode === 401) {
        await who.body.dump();
        return sendProblem(reply, sessionRequired());
      }
      if (who.statusCode !== 200) throw new Error(`legacy profile answered ${who.statusCode}`);
      const { id } = (await who.body.json()) as { id: number };

      const body = Buffer.isBuffer(request.body) ? request.body : undefined;
      const path = upstreamPath(route, request.url, { legacyUserId: String(id) });
      const answer = await calls.request(route.upstream, registry.dispatcher(route.upstream), {
        path,
        method: request.method as 'GET',
        headers: {
          [REQUEST_ID_HEADER]: request.id,
          ...(body ? { 'content-type': request.headers['content-type'] ?? 'application/json' } : {}),
          ...signRequest(sign.key, { method: request.method, path, body }),
        },
        body,
        ...timeouts,
      });
      return reply
        .status(answer.statusCode)
        .headers(withoutHopByHop(answer.headers as Record<string, string>))
        .send(answer.body);
    } catch (err) {
      return sendUpstreamProblem(reply, err as Error);
    }
  };
}

const sessionRequired = () =>
  new AppError('unauthorized', 'A valid legacy session is required', undefined, {
    'www-authenticate': 'Session',
  });

/** Why a request is not the carved call (another path below the prefix, method or a query), if it is not. */
function outsideTheCarve(route: RouteEntry, request: FastifyRequest): AppError | undefined {
  if (request.routeOptions.url !== route.prefix)
    return new AppError('not_found', `Only ${route.prefix} itself is served here`);
  if (request.method !== route.method)
    return new AppError('method_not_allowed', `${route.prefix} answers ${route.method} only`, undefined, {
      allow: route.method!,
    });
  if (request.url.includes('?')) return new AppError('validation_failed', `${route.prefix} takes no query`);
  return undefined;
}
