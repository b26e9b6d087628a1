import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import request from 'supertest';
import { loadConfig } from '@paychat/config';
import { stubServer } from '@paychat/testing';
import { buildGateway } from '../build-gateway';
import { GatewayEnv } from '../gateway.env';

describe("the proxy's failures reach the log (Fastify's logger is the app's pino)", () => {
  let gateway: NestFastifyApplication;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const dead = stubServer((_req, res) => res.end());
    const deadUrl = await dead.start();
    await dead.stop(); // nothing listens there any more
    gateway = await buildGateway(
      loadConfig(GatewayEnv, { ...process.env, LOG_LEVEL: 'warn', LEGACY_URL: deadUrl }),
    );
    await gateway.init();
    await gateway.getHttpAdapter().getInstance().ready();
    // Every logger of the app (children included) writes to the root's stream.
    const stream = (PinoLogger.root as unknown as Record<symbol, { write: (s: string) => void }>)[
      pino.symbols.streamSym
    ];
    jest.spyOn(stream, 'write').mockImplementation((line: string) => {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    });
  });
  afterAll(() => gateway.close());

  it('logs why an upstream request failed, with the request id the client was given', async () => {
    const res = await request(gateway.getHttpServer()).get('/v1/profile');
    expect(res.status).toBe(503);
    const requestId = res.headers['x-request-id'];
    expect(requestId).toBeTruthy();
    const line = lines.find((l) => l.msg === 'upstream failed');
    expect(line).toMatchObject({ service: 'gateway', requestId, level: 40 });
    expect(JSON.stringify(line!.err)).toContain('ECONNREFUSED');
  });
});
