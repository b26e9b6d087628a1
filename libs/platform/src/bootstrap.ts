import 'reflect-metadata';
import type { Server, ServerOptions } from 'node:http';
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import { type BaseEnv, ConfigError, loadConfig } from '@paychat/config';
import { classify, genericCodeFor, sendProblem } from '@paychat/errors';
import { Metrics, recordServerRoute, serveMetrics, stopTracing } from '@paychat/telemetry';
import { quietStartup, type RequestLogFields } from './logging';
import { Readiness } from './readiness';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id';

export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Above the ALB's 60 s idle timeout, so the balancer (not us) closes idle connections: no 502 races. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** A socket silent this long is closed: above the keep-alive timeout and the longest answer (30 s long-polls). */
const IDLE_SOCKET_TIMEOUT_MS = KEEP_ALIVE_TIMEOUT_MS + 5_000;
/** How often Node checks the header and request deadlines (its default, 30 s, would let them run 30 s over). */
const DEADLINE_CHECK_MS = 1_000;

/** Apps past their grace period: the server is closing and new requests are refused. */
const closing = new WeakSet<NestFastifyApplication>();
const SHUTTING_DOWN = {
  code: 'service_unavailable',
  status: 503,
  detail: 'Shutting down',
  headers: { 'retry-after': '1' },
} as const;

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/**
 * Fastify's own logger (reply.log, fastify.log) writing to the app's pino root: that root exists only
 * once Nest has built the logging module, after the adapter, so each call looks it up.
 */
function appPinoLogger(bindings: Record<string, unknown> = {}): FastifyBaseLogger {
  const target = () => {
    const root = PinoLogger.root;
    return root && Object.keys(bindings).length ? root.child(bindings) : root;
  };
  const logger = {
    level: 'info',
    silent: () => undefined,
    child: (more: Record<string, unknown>) => appPinoLogger({ ...bindings, ...more }),
  };
  for (const level of LEVELS)
    Object.assign(logger, {
      [level]: (...args: unknown[]) => (target()?.[level] as (...a: unknown[]) => void)?.(...args),
    });
  return logger as unknown as FastifyBaseLogger;
}

/** Builds (without listening) a Nest app on Fastify with paychat's edge behaviour. Used by main.ts and tests. */
export async function createApp(
  module: Type<unknown> | DynamicModule,
  config: BaseEnv,
): Promise<NestFastifyApplication> {
  const headersTimeout = Math.min(config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_REQUEST_TIMEOUT_MS);
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    connectionTimeout: IDLE_SOCKET_TIMEOUT_MS,
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    http: {
      headersTimeout,
      requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: DEADLINE_CHECK_MS,
    } satisfies ServerOptions as never, // typed for HTTP/2 by Fastify; Node's HTTP/1 server takes these

    loggerInstance: appPinoLogger(),
    // The access log is paychat's own (one line per request), not Fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    // Errors the router answers before any hook (a URL that does not decode) are problem+json too.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) =>
      sendProblem(
        reply,
        classify(error) ?? { code: genericCodeFor(error.statusCode ?? 400), status: error.statusCode ?? 400 },
      ),
    requestIdHeader: false,
    genReqId: requestIdFor,
    // Only the hops that exist: the client cannot choose its own address by sending X-Forwarded-For.
    trustProxy: (_address: string, hop: number) => hop < config.TRUST_PROXY_HOPS,
    // Its raw 503 body is not problem+json (and Nest's adapter would send it from the first shutdown
    // hook on, before in-flight work is done): requests on closing connections are refused below.
    return503OnClosing: false,
    routerOptions: { ignoreTrailingSlash: false },
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    bufferLogs: true,
    rawBody: true,
  });
  app.useLogger(quietStartup(app.get(Logger)));
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    const raw = request.raw as typeof request.raw & RequestLogFields;
    raw.id = request.id;
    raw.routePattern = request.routeOptions.url;
    reply.header(REQUEST_ID_HEADER, request.id);
    if (raw.routePattern) recordServerRoute(raw.routePattern);
  });
  fastify.addHook('onRequest', async (_request, reply) => {
    // Past the grace period: a request still arriving on a kept-alive connection is refused in the
    // usual shape, and the connection closes (below), so the client's retry goes elsewhere.
    if (closing.has(app)) return sendProblem(reply, SHUTTING_DOWN);
  });
  observeRequests(fastify, app.get(Metrics));
  const { stopping } = app.get(Readiness);
  fastify.addHook('onSend', async (_request, reply) => {
    // Once stopping, a keep-alive client moves to a fresh connection (another instance, once its
    // balancer has noticed) instead of idling on this one until the listener closes.
    if (stopping.aborted) reply.header('connection', 'close');
  });
  return app;
}

/**
 * The shutdown order, the same for every app (SIGTERM in production; tests call it directly):
 * 1. readiness fails at once, and waits end (long-polls answer, background jobs stop scheduling);
 * 2. the app keeps serving for SHUTDOWN_GRACE_MS, while the gateway's probes and the ALB stop sending;
 * 3. the app closes: new requests get a problem+json 503, in-flight ones finish, background jobs get
 *    a moment to finish their current run, then the shutdown hooks close the pools.
 */
export async function shutdown(app: NestFastifyApplication): Promise<void> {
  const readiness = app.get(Readiness);
  readiness.stop();
  await new Promise((resolve) => setTimeout(resolve, readiness.graceMs));
  closing.add(app);
  await app.close();
  await new Promise((resolve) => metricsServers.get(app)?.close(resolve) ?? resolve(undefined));
  await stopTracing();
}

const metricsServers = new WeakMap<NestFastifyApplication, Server>();

/** Rate, errors and duration of every route (the template, never the raw path: bounded labels). */
function observeRequests(fastify: FastifyInstance, metrics: Metrics): void {
  const duration = metrics.histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Time to answer a request, by route template and status',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}

/** SIGTERM (ECS, a rolling restart) or SIGINT (Ctrl-C): shut down, exit 0; a second signal exits at once. */
function exitOnSignals(app: NestFastifyApplication): void {
  let started = false;
  const onSignal = () => {
    if (started) process.exit(1);
    started = true;
    shutdown(app).then(
      () => process.exit(0),
      (err: unknown) => {
        app.get(Logger).error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/**
 * Starts an app for real: config validated first (a bad value exits 1 naming it — also one an app
 * checks while building, such as the gateway's route table), then listen.
 */
export async function runApp<C extends BaseEnv>(
  schema: Parameters<typeof loadConfig<C>>[0],
  build: (config: C) => Promise<NestFastifyApplication>,
): Promise<NestFastifyApplication> {
  try {
    const config = loadConfig(schema);
    const app = await build(config);
    exitOnSignals(app);
    await app.listen(config.PORT, config.HOST);
    if (config.METRICS_PORT > 0)
      metricsServers.set(app, await serveMetrics(app.get(Metrics), config.METRICS_PORT, config.HOST));
    return app;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
