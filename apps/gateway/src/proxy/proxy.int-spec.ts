import type { IncomingMessage } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { loadConfig } from '@paychat/config';
import { listenOnFreePort, mintAccessToken, stubServer } from '@paychat/testing';
import { LegacyTestbed } from '../../../../test/harness/legacy-fixtures';
import { buildGateway } from '../build-gateway';
import { GatewayEnv } from '../gateway.env';

/** A stand-in upstream that records what it received (not the gateway's readiness probes) and answers after `delayMs`. */
function recordingUpstream(delayMs: number) {
  const seen: IncomingMessage[] = [];
  const bodies: string[] = [];
  const server = stubServer((req, res) => {
    if (req.url?.startsWith('/health/')) return res.writeHead(200).end('{}');
    seen.push(req);
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      bodies.push(body);
      setTimeout(
        () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"slow":true}'),
        delayMs,
      );
    });
  });
  return { seen, bodies, ...server };
}

async function gatewayWith(env: Record<string, string>): Promise<NestFastifyApplication> {
  const app = await buildGateway(loadConfig(GatewayEnv, { ...process.env, ...env }));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe('gateway routing skeleton', () => {
  describe('to the real legacy app', () => {
    let legacy: LegacyTestbed;
    let gateway: NestFastifyApplication;

    beforeAll(async () => {
      legacy = await LegacyTestbed.start(process.env);
      gateway = await gatewayWith({ LEGACY_URL: await listenOnFreePort(legacy.app) });
    });
    afterAll(async () => {
      await gateway.close();
      await legacy.close();
    });

    it('proxies /v1/status to legacy and returns its request id', async () => {
      const res = await request(gateway.getHttpServer()).get('/v1/status').set('x-request-id', 'trace-me-1');
      expect(res.status).toBe(200);
      expect(res.body.service).toBe('legacy');
      expect(res.headers['x-request-id']).toBe('trace-me-1');
    });

    it('streams a legacy login through with its body', async () => {
      const res = await request(gateway.getHttpServer())
        .post('/v1/login')
        .send({ email: 'taro@legacy.paychat.local', password: 'LegacyPass1!' });
      expect(res.status).toBe(200);
      expect(res.body.sessionToken).toEqual(expect.any(String));
    });

    it('answers unknown /v2 paths itself with a 404 problem', async () => {
      const res = await request(gateway.getHttpServer())
        .get('/v2/no-such-thing')
        .set('authorization', `Bearer ${await mintAccessToken()}`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    });

    it('never routes /internal/*', async () => {
      const res = await request(gateway.getHttpServer()).post('/internal/anything').send({});
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    });
  });

  describe('to a recording upstream', () => {
    const upstream = recordingUpstream(0);
    let gateway: NestFastifyApplication;

    beforeAll(async () => {
      gateway = await gatewayWith({ LEGACY_URL: await upstream.start() });
    });
    afterAll(async () => {
      await gateway.close();
      await upstream.stop();
    });

    it('forwards the request id and X-Forwarded-*, not the client’s trace context, and strips hop-by-hop headers', async () => {
      await request(gateway.getHttpServer())
        .post('/v1/echo?x=1')
        .set('x-request-id', 'fwd-1')
        .set('traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')
        .set('tracestate', 'vendor=client')
        .set('baggage', 'userId=client-says')
        .set('connection', 'keep-alive, x-secret-hop')
        .set('x-secret-hop', 'must-not-pass')
        .set('proxy-authorization', 'Basic abc')
        .set('authorization', 'Session legacy-token')
        .send({ hello: 'world' });
      const seen = upstream.seen.at(-1)!;
      expect(seen.url).toBe('/v1/echo?x=1');
      expect(seen.headers['x-request-id']).toBe('fwd-1');
      // Tracing is off under Jest: nothing injects ours, so none arrives at all.
      expect(seen.headers.traceparent).toBeUndefined();
      expect(seen.headers.tracestate).toBeUndefined();
      expect(seen.headers.baggage).toBeUndefined();
      expect(seen.headers.authorization).toBe('Session legacy-token');
      expect(seen.headers['x-forwarded-for']).toBeTruthy();
      expect(seen.headers['x-forwarded-proto']).toBe('http');
      expect(seen.headers['x-secret-hop']).toBeUndefined();
      expect(seen.headers['proxy-authorization']).toBeUndefined();
      expect(JSON.parse(upstream.bodies.at(-1)!)).toEqual({ hello: 'world' });
    });
  });

  it('answers 504 upstream_timeout when the upstream is too slow', async () => {
    const slow = recordingUpstream(1500);
    const gateway = await gatewayWith({ LEGACY_URL: await slow.start(), UPSTREAM_TIMEOUT_MS: '300' });
    try {
      const res = await request(gateway.getHttpServer()).get('/v1/status');
      expect(res.status).toBe(504);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('upstream_timeout');
    } finally {
      await gateway.close();
      await slow.stop();
    }
  });

  it('answers 503 upstream_unavailable with Retry-After when the upstream is down', async () => {
    const closed = recordingUpstream(0);
    const url = await closed.start();
    await closed.stop();
    const gateway = await gatewayWith({ LEGACY_URL: url });
    try {
      const res = await request(gateway.getHttpServer()).get('/v1/status');
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('upstream_unavailable');
      expect(res.headers['retry-after']).toBe('5');
    } finally {
      await gateway.close();
    }
  });
});
