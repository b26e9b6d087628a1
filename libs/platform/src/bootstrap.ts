import 'reflect-metadata';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { BaseEnv, ConfigError, loadConfig } from '@paychat/config';
import type { RequestLogFields } from './logging';
import { Readiness } from './readiness';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id';

export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Above the ALB's 60 s idle timeout, so the balancer (not us) closes idle connections: no 502 races. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Builds (without listening) a Nest app on Fastify with paychat's edge behaviour. Used by main.ts and tests. */
export async function createApp(module: Type<unknown> | DynamicModule): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    requestIdHeader: false,
    genReqId: requestIdFor,
    trustProxy: true,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: false },
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    bufferLogs: true,
    rawBody: true,
  });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    const raw = request.raw as typeof request.raw & RequestLogFields;
    raw.id = request.id;
    raw.routePattern = request.routeOptions.url;
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  const readiness = app.get(Readiness);
  fastify.addHook('onSend', async (_request, reply) => {
    // A connection still busy when shutdown began would otherwise idle for the keep-alive timeout.
    if (readiness.isStopping) reply.header('connection', 'close');
  });
  // SIGTERM: Readiness fails and waits out the grace period, Fastify stops accepting and finishes
  // in-flight requests, then onApplicationShutdown hooks close pools; exit 0.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  return app;
}

/**
 * Starts an app for real: config validated first (a bad value exits 1 naming it — also one an app
 * checks while building, such as the gateway's route table), then listen.
 */
export async function runApp<C extends BaseEnv>(
  schema: Parameters<typeof loadConfig<C>>[0],
  build: (config: C) => Promise<INestApplication>,
): Promise<INestApplication> {
  try {
    const config = loadConfig(schema);
    const app = await build(config);
    await app.listen(config.PORT, config.HOST);
    return app;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
