import { request as httpRequest } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@paychat/config';
import { listenOnFreePort, stubServer } from '@paychat/testing';
import { buildGateway } from '../build-gateway';
import { GatewayEnv } from '../gateway.env';

/** A stand-in legacy app that counts the requests and body bytes that reach it (not the gateway's readiness probes). */
function countingUpstream() {
  const state = { bytes: 0, requests: 0 };
  const server = stubServer((req, res) => {
    if (req.url?.startsWith('/health/')) return res.writeHead(200).end('{}');
    state.requests++;
    req.on('data', (c: Buffer) => (state.bytes += c.length));
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    req.on('error', () => undefined);
  });
  return { state, ...server };
}

/**
 * POSTs without a token; `declared` sets content-length (nothing is sent after the headers), otherwise
 * `chunks` of 64 KiB are streamed chunked until the answer arrives or they run out.
 */
function post(
  url: string,
  opts: { declared?: number; chunks?: number },
): Promise<{ status: number; body: string; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = httpRequest(
      `${url}/v1/upload`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/octet-stream',
          ...(opts.declared ? { 'content-length': String(opts.declared) } : {}),
        },
      },
      (res) => {
        answered = true;
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => {
          req.destroy(); // the rest of the body is not wanted
          resolve({ status: res.statusCode!, body, sent });
        });
      },
    );
    req.on('error', (err) => (answered ? undefined : reject(err)));
    if (opts.declared) return req.flushHeaders();
    const chunk = Buffer.alloc(64 * 1024, 120);
    const pump = (left: number) => {
      if (answered || left === 0) return req.end();
      sent += chunk.length;
      if (req.write(chunk)) setImmediate(() => pump(left - 1));
      else req.once('drain', () => pump(left - 1));
    };
    pump(opts.chunks ?? 0);
  });
}

describe('the body limit holds on proxied routes (no token needed)', () => {
  const legacy = countingUpstream();
  let gateway: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    gateway = await buildGateway(
      loadConfig(GatewayEnv, { ...process.env, LEGACY_URL: await legacy.start() }),
    );
    url = await listenOnFreePort(gateway);
  });
  afterAll(async () => {
    await gateway.close();
    await legacy.stop();
  });

  it('refuses a declared length over the limit before reading a byte, and the upstream never hears of it', async () => {
    const before = legacy.state.requests;
    const answer = await post(url, { declared: 300 * 1024 * 1024 });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'payload_too_large', status: 413 });
    expect(legacy.state.requests).toBe(before);
  });

  it('cuts a chunked body at the limit with 413 before anything reaches the upstream (bodies are read whole first)', async () => {
    const before = legacy.state.requests;
    const answer = await post(url, { chunks: 300 }); // 19 MiB offered
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'payload_too_large' });
    expect(legacy.state.requests).toBe(before);
  });

  it('still passes a body within the limit', async () => {
    const answer = await post(url, { chunks: 8 }); // 512 KiB
    expect(answer.status).toBe(200);
    expect(legacy.state.bytes).toBe(8 * 64 * 1024);
  });
});
