import type { RequestListener } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import type { INestApplication } from '@nestjs/common';

/** Listens on an ephemeral loopback port (for tests that need real sockets) and returns the base URL. */
export async function listenOnFreePort(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

export interface CallResult<B = Record<string, unknown> & { code?: string }> {
  status: number;
  body: B;
  headers: Headers;
}

/** One JSON call to a service under test, as a client would make it (bearer token, extra headers). */
export async function callJson<B = CallResult['body']>(
  baseUrl: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<CallResult<B>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as B, headers: res.headers };
}

/** A loopback port that was free a moment ago (for two services that must know each other's URL). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A stand-in HTTP service for a test (a sibling, an upstream): started on a loopback port, stopped. */
export function stubServer(handler: RequestListener): { start(): Promise<string>; stop(): Promise<void> } {
  const server = createHttpServer(handler);
  return {
    start: () =>
      new Promise((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`),
        ),
      ),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
