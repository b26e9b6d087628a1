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

/** Ports handed out by freePort: a band per Jest worker (up to 4) and TEST_SLOT, below the kernel's ephemeral range. */
const PORTS_PER_WORKER = 150;
const WORKERS_PER_SLOT = 4;
let portsTaken = 0;

/**
 * A loopback port that is free now and that nothing else picks meanwhile (for two services that
 * must know each other's URL before either listens). It comes from this worker's own band below
 * 32768: a port from the ephemeral range, free a moment ago, can meanwhile become the local end
 * of any outgoing connection on the machine (a pool connecting to MySQL), and the listen fails.
 * Each port is handed out once per test file: a band used up is an error, not a port given twice.
 */
export async function freePort(): Promise<number> {
  const worker = Number(process.env.JEST_WORKER_ID ?? 1);
  if (worker > WORKERS_PER_SLOT)
    throw new Error(`freePort has bands for ${WORKERS_PER_SLOT} Jest workers, not ${worker} (--maxWorkers)`);
  // 20000–22999: clear of the tests' fixed ports (DynamoDB 18000, cognito 19229, drill 25000, …) and the benches'.
  const base = 20_000 + Number(process.env.TEST_SLOT ?? 0) * PORTS_PER_WORKER * WORKERS_PER_SLOT;
  const band = base + (worker - 1) * PORTS_PER_WORKER;
  while (portsTaken < PORTS_PER_WORKER) {
    const port = band + portsTaken++;
    if (await canListen(port)) return port;
  }
  throw new Error(`freePort: every port of ${band}-${band + PORTS_PER_WORKER - 1} was handed out`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
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
