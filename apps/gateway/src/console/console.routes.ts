import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { sendProblem } from '@paychat/errors';
import { type ConsoleAsset, defaultConsoleDir, loadConsoleAssets } from './console-assets';

/**
 * The console's own script and stylesheet only, no inline code, talking to this origin only, never
 * framed; nothing a page could be tricked into loading or posting elsewhere.
 */
const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  // A new deploy is picked up at once and nothing of an operator's session stays in a cache.
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/**
 * The operators' console at /admin: a static single-page app (apps/console, bundled by esbuild)
 * served from memory. The page itself needs no token (the edge lets /admin and /admin/assets/*
 * through); everything it shows comes from the admin API at /admin/v2, which does.
 */
export function registerConsole(app: NestFastifyApplication, dir = defaultConsoleDir()): void {
  const { index, assets } = loadConsoleAssets(dir);
  const fastify = app.getHttpAdapter().getInstance();
  const send = (reply: FastifyReply, asset: ConsoleAsset | undefined, missing: string) =>
    asset
      ? reply.headers({ ...HEADERS, 'content-type': asset.type }).send(asset.body)
      : sendProblem(reply.headers(HEADERS), { code: 'not_found', status: 404, detail: missing });

  const page = (_: unknown, reply: FastifyReply) =>
    send(reply, index, 'The console is not built (npm run build bundles it)');
  fastify.get('/admin', page);
  fastify.get('/admin/', page);
  fastify.get<{ Params: { name: string } }>('/admin/assets/:name', (request, reply) =>
    send(reply, assets.get(request.params.name), 'No such console file'),
  );
}
