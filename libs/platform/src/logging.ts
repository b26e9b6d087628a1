import { RequestMethod } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
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

/** pino configured once: JSON, one line per request, secrets redacted, health probes not logged. */
export function loggerModule(service: string, config: BaseEnv) {
  const options = {
    level: config.LOG_LEVEL,
    base: { service },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    genReqId: (req: IncomingMessage & RequestLogFields) => req.id ?? '',
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'ms' },
    // middie rewrites req.url for mounted middleware; originalUrl keeps the real path.
    autoLogging: {
      ignore: (req: IncomingMessage & { originalUrl?: string }) =>
        (req.originalUrl ?? req.url ?? '').startsWith('/health/'),
    },
    // Known only once the request ran (the guard sets userId), so bound on the final line alone.
    customProps: (req: IncomingMessage & RequestLogFields, res: ServerResponse) =>
      res.writableEnded ? { userId: req.userId, route: req.routePattern } : {},
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    serializers: {
      req: (req: { method: string; url: string; headers: Record<string, unknown> }) => ({
        method: req.method,
        url: req.url,
        headers: req.headers,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
  return LoggerModule.forRoot({
    forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
    // Asynchronous stdout (writes coalesce under load, flushed on exit): a synchronous write per line cost
    // ~0.4 ms of the wallet's CPU under load (bench/wallet.ts). A person at a terminal gets pretty.
    pinoHttp: config.LOG_PRETTY
      ? { ...options, transport: { target: 'pino-pretty', options: { singleLine: true } } }
      : [options, pino.destination({ dest: 1, sync: false })],
  });
}
