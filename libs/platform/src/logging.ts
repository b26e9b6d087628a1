import { RequestMethod } from '@nestjs/common';
import type { RouteInfo } from '@nestjs/common/interfaces/middleware/middleware-configuration.interface';
import type { FastifyInstance } from 'fastify';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Logger, LoggerModule, PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import type { BaseEnv } from '@paychat/config';

/**
 * What the guards and router leave on the raw request so the access log can name them. One user id
 * across services: `userId` is the wallet's ULID (set where the app knows it), `sub` the Cognito
 * subject (all the gateway knows), `legacyUserId` a legacy `/v1` account (another id space).
 */
export interface RequestLogFields {
  id?: string;
  userId?: string;
  sub?: string;
  legacyUserId?: string;
  routePattern?: string;
}

const callerFields = (raw: RequestLogFields) => ({
  userId: raw.userId,
  sub: raw.sub,
  legacyUserId: raw.legacyUserId,
  route: raw.routePattern,
});

/**
 * The request headers a line keeps (not all of them: most are noise, some personal): enough to tell
 * clients apart and join hops. Authorization only says that one was sent (redacted below).
 */
const LOGGED_HEADERS = ['user-agent', 'content-length', 'x-request-id', 'authorization'] as const;

function loggedHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const name of LOGGED_HEADERS) if (headers[name] !== undefined) kept[name] = headers[name];
  return kept;
}

/** Paths of secrets anywhere a log line might carry them: the one logged credential header and the usual body fields. */
export const REDACT_PATHS = [
  'req.headers.authorization',
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
    // Known only once the request ran (the guard sets the user), so bound on the final line alone.
    customProps: (req: IncomingMessage & RequestLogFields, res: ServerResponse) =>
      res.writableEnded ? callerFields(req) : {},
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
      err ? 'error' : levelFor(res.statusCode),
    serializers: {
      req: (req: { method: string; url: string; headers: IncomingHttpHeaders }) => ({
        method: req.method,
        url: loggedUrl(req.url),
        headers: loggedHeaders(req.headers),
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
      PinoLogger.root[levelFor(reply.statusCode)](
        {
          requestId: request.id,
          // The raw objects, as pino-http passes them: the serializers above (and redaction) apply.
          req: request.raw,
          res: reply.raw,
          ms: Math.round(reply.elapsedTime * 1000) / 1000,
          ...callerFields(request.raw as RequestLogFields),
        },
        'request completed',
      );
    }
    done();
  });
}

/** Nest's start-up chatter, a line per module, controller and route: for debugging a boot, noise at info. */
const STARTUP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** The app's Nest logger with the start-up chatter at debug (Nest's loggers pass their context last). */
export function quietStartup(logger: Logger): Logger {
  const quiet = Object.create(logger) as Logger;
  quiet.log = (message: unknown, ...rest: unknown[]) =>
    STARTUP_CONTEXTS.has(rest.at(-1) as string)
      ? logger.debug(message, ...rest)
      : logger.log(message, ...rest);
  return quiet;
}
