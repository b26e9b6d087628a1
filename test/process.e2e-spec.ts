import { ChildProcess, spawn } from 'node:child_process';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * The built gateway as a real process (as `npm run dev` and the containers run it): config failure
 * at boot, the access log line, and graceful shutdown. Needs `npm run build` first (`npm test` does it).
 * Without a grace period unless a test sets one (the shutdown order itself: libs/platform).
 */
const MAIN = join(__dirname, '..', 'dist', 'apps', 'gateway', 'src', 'main.js');
const PORT = 18181;

interface Running {
  child: ChildProcess;
  lines: string[];
  exit: Promise<{ code: number | null; stderr: string }>;
}

function start(env: Record<string, string>): Running {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      LOG_PRETTY: 'false',
      PORT: String(PORT),
      SHUTDOWN_GRACE_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop()!;
    lines.push(...parts.filter(Boolean));
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stderr })),
  );
  return { child, lines, exit };
}

async function waitUntilListening(): Promise<void> {
  // Generous: a loaded CI machine (tests run in parallel) can take seconds to boot Node and Nest.
  for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/health/live`)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('gateway did not start');
}

function slowUpstream(delayMs: number): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => setTimeout(() => res.end('{"done":true}'), delayMs));
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () =>
      r({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }),
    ),
  );
}

describe('gateway process', () => {
  it('refuses to start on a bad variable, naming it, with exit code 1', async () => {
    const run = start({ PORT: 'eighty', UPSTREAM_TIMEOUT_MS: '-5' });
    const { code, stderr } = await run.exit;
    expect(code).toBe(1);
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('UPSTREAM_TIMEOUT_MS');
  });

  it('refuses to start on a bad route table, naming the entry', async () => {
    const run = start({ GATEWAY_ROUTES: '[{"prefix":"/internal/events","upstream":"messages"}]' });
    const { code, stderr } = await run.exit;
    expect(code).toBe(1);
    expect(stderr).toContain('GATEWAY_ROUTES[0].prefix');
  });

  it('logs one JSON line per request with the request id, and redacts the Authorization header', async () => {
    const run = start({});
    try {
      await waitUntilListening();
      await fetch(`http://127.0.0.1:${PORT}/v2/auth/login`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer super-secret-token',
          'x-request-id': 'log-test-1',
        },
        body: JSON.stringify({ email: 'nobody@test.paychat.local', password: 'Hunter2-secret!' }),
      });
      await new Promise((r) => setTimeout(r, 200));
      const line = run.lines
        .map((l) => {
          try {
            return JSON.parse(l);
          } catch {
            throw new Error('not JSON: ' + l.slice(0, 300));
          }
        })
        .find((l) => l.requestId === 'log-test-1');
      expect(line).toMatchObject({
        requestId: 'log-test-1',
        route: '/v2/auth/login',
        res: { statusCode: 401 },
        service: 'gateway',
      });
      expect(line.ms).toEqual(expect.any(Number));
      expect(line.req.method).toBe('POST');
      expect(line.req.headers.authorization).toBe('[redacted]');
      const all = run.lines.join('\n');
      expect(all).not.toContain('super-secret-token');
      expect(all).not.toContain('Hunter2-secret!');
    } finally {
      run.child.kill('SIGTERM');
      await run.exit;
    }
  });

  it('on SIGTERM fails readiness at once, serves through the grace period, then exits 0', async () => {
    const grace = 1_500;
    const run = start({ SHUTDOWN_GRACE_MS: String(grace) });
    try {
      await waitUntilListening();
      const signalled = Date.now();
      run.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 100));
      const ready = await fetch(`http://127.0.0.1:${PORT}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ code: 'service_unavailable', detail: 'Shutting down' });
      expect((await fetch(`http://127.0.0.1:${PORT}/health/live`)).status).toBe(200);
      expect(Date.now() - signalled).toBeLessThan(grace);
      expect((await run.exit).code).toBe(0);
      const took = Date.now() - signalled;
      expect(took).toBeGreaterThanOrEqual(grace);
      expect(took).toBeLessThan(grace + 5_000);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('finishes a request in flight on SIGTERM, then exits 0', async () => {
    const upstream = await slowUpstream(800);
    const run = start({ LEGACY_URL: upstream.url });
    try {
      await waitUntilListening();
      const inFlight = fetch(`http://127.0.0.1:${PORT}/v1/slow`);
      await new Promise((r) => setTimeout(r, 200));
      run.child.kill('SIGTERM');
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ done: true });
      expect((await run.exit).code).toBe(0);
    } finally {
      run.child.kill('SIGKILL');
      upstream.server.close();
    }
  });
});
