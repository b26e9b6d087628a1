import { RequestMethod } from '@nestjs/common';
import type { RouteInfo } from '@nestjs/common/interfaces/middleware/middleware-configuration.interface';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import type { BaseEnv } from '@paychat/config';

/** What the auth guard and router leave on the raw request so the access log can name them. */
export interface RequestLogFields {
  id?: string;
  userId?: string;
  routePattern?: string;
}

/** Paths of secrets anywhere a log line might carry them: headers and the usual body fields. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-paychat-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.accessToken',
  '*.idToken',
  '*.refreshToken',
  '*.token',
  '*.accountNumber',
  '*.secret',
];

export interface LoggingOptions {
  /** Routes whose app logs carry the request's context (the nestjs-pino middleware); default all. */
  contextRoutes?: RouteInfo[];
  /** The access log comes from installAccessLog's Fastify hook instead of the middleware. */
  hookAccessLog?: boolean;
}

const isProbe = (url: string) => url.startsWith('/health/');

/**
 * A URL as logged: the query's names kept, their values redacted — queries carry personal data
 * (an admin's search by email) and cursors. The route template is logged beside it (`route`).
 */
export function loggedUrl(url: string): string {
  const i = url.indexOf('?');
  if (i < 0) return url;
  const names = url
    .slice(i + 1)
    .split('&')
    .map((pair) => `${pair.split('=', 1)[0]}=[redacted]`);
  return `${url.slice(0, i)}?${names.join('&')}`;
}
/** A 503 is a dependency that is down (logged once where it was found), not a bug of ours: warn. */
const levelFor = (status: number) =>
  status >= 500 && status !== 503 ? 'error' : status >= 400 ? 'warn' : 'info';

/** pino configured once: JSON, one line per request, secrets redacted, health probes not logged. */
export function loggerModule(service: string, config: BaseEnv, opts: LoggingOptions = {}) {
  const options = {
    level: config.LOG_LEVEL,
    base: { service },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    genReqId: (req: IncomingMessage & RequestLogFields) => req.id ?? '',
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'ms' },
    // middie rewrites req.url for mounted middleware; originalUrl keeps the real path.
    autoLogging: opts.hookAccessLog
      ? false
      : {
          ignore: (req: IncomingMessage & { originalUrl?: string }) =>
            isProbe(req.originalUrl ?? req.url ?? ''),
        },
    // Known only once the request ran (the guard sets userId), so bound on the final line alone.
    customProps: (req: IncomingMessage & RequestLogFields, res: ServerResponse) =>
      res.writableEnded ? { userId: req.userId, route: req.routePattern } : {},
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
      err ? 'error' : levelFor(res.statusCode),
    serializers: {
      req: (req: { method: string; url: string; headers: Record<string, unknown> }) => ({
        method: req.method,
        url: loggedUrl(req.url),
        headers: req.headers,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
  return LoggerModule.forRoot({
    forRoutes: opts.contextRoutes ?? [{ path: '*path', method: RequestMethod.ALL }],
    // Asynchronous stdout (writes coalesce under load, flushed on exit): a synchronous write per line cost
    // ~0.4 ms of the wallet's CPU under load (bench/wallet.ts). A person at a terminal gets pretty.
    pinoHttp: config.LOG_PRETTY
      ? { ...options, transport: { target: 'pino-pretty', options: { singleLine: true } } }
      : [options, pino.destination({ dest: 1, sync: false })],
  });
}

/**
 * The access log as a Fastify hook, the same line the middleware writes: for an app whose traffic
 * is mostly raw Fastify routes (the gateway's proxy), where the middleware (middie + pino-http) cost
 * more than half the CPU of a proxied request (bench/gateway.ts).
 */
export function installAccessLog(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    if (!isProbe(request.url)) {
      const raw = request.raw as RequestLogFields;
      PinoLogger.root[levelFor(reply.statusCode)](
        {
          requestId: request.id,
          // The raw objects, as pino-http passes them: the serializers above (and redaction) apply.
          req: request.raw,
          res: reply.raw,
          ms: Math.round(reply.elapsedTime * 1000) / 1000,
          userId: raw.userId,
          route: raw.routePattern,
        },
        'request completed',
      );
    }
    done();
  });
}
