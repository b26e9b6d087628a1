import type { FastifyInstance } from 'fastify';

const OLD_ADMIN_PREFIX = '/admin/v1';

/**
 * What every `/admin/v1` answer carries, pages and refusals alike: a CSP that allows no script at
 * all (the pages have none; an injected one would not run) and no framing, no caching of personal
 * data, no MIME sniffing, no referrer leaking user ids to other sites.
 */
export const OLD_ADMIN_HEADERS = {
  'content-security-policy':
    "default-src 'none'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
} as const;

export function registerOldAdminHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?', 1)[0]!;
    if (path === OLD_ADMIN_PREFIX || path.startsWith(`${OLD_ADMIN_PREFIX}/`))
      reply.headers(OLD_ADMIN_HEADERS);
  });
}
