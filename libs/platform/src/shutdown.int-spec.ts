import { Agent, get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { Controller, Get, Injectable, Module, OnModuleDestroy } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { BaseEnv, loadConfig } from '@paychat/config';
import { listenOnFreePort } from '@paychat/testing';
import { createApp, shutdown } from './bootstrap';
import { CoreModule } from './core.module';
import { Public } from './public.decorator';

const GRACE_MS = 600;
const SLOW_MS = 1_000;

@Public()
@Controller()
class SampleController {
  @Get('slow')
  async slow() {
    await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
    return { done: true };
  }
}

/** Holds the app between "closing" and the listener closing, as the wallet's jobs may (≤ 1 s). */
@Injectable()
class SlowToStop implements OnModuleDestroy {
  closing!: () => void;
  readonly closingStarted = new Promise<void>((resolve) => (this.closing = resolve));

  async onModuleDestroy(): Promise<void> {
    this.closing();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

@Module({ controllers: [SampleController], providers: [SlowToStop] })
class SampleModule {}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  reusedSocket: boolean;
}

describe('shutdown: readiness first, a grace period, then problem+json for late requests', () => {
  let app: NestFastifyApplication;
  let url: string;
  const kept = new Agent({ keepAlive: true, maxSockets: 1 });

  /** A GET on a fresh connection, or on `agent`'s kept-alive one. */
  const get = (path: string, agent: Agent | false = false) =>
    new Promise<Answer>((resolve, reject) => {
      const req = httpGet(`${url}${path}`, { agent }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            body: JSON.parse(text) as Record<string, unknown>,
            reusedSocket: req.reusedSocket,
          }),
        );
      });
      req.on('error', reject);
    });

  beforeAll(async () => {
    const config = loadConfig(BaseEnv, { LOG_LEVEL: 'silent', SHUTDOWN_GRACE_MS: String(GRACE_MS) });
    app = await createApp({ module: SampleModule, imports: [CoreModule.forRoot('sample', config)] }, config);
    url = await listenOnFreePort(app);
  });
  afterAll(() => kept.destroy());

  it('fails readiness at once, serves through the grace period, refuses late requests in problem+json', async () => {
    expect((await get('/health/live', kept)).status).toBe(200); // a client's kept-alive connection
    const started = Date.now();
    const stopped = shutdown(app);

    const ready = await get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(ready.body).toMatchObject({ code: 'service_unavailable', detail: 'Shutting down' });
    const live = await get('/health/live');
    expect(live.status).toBe(200);
    // Keep-alive clients are moved off while it still serves.
    expect(live.headers.connection).toBe('close');
    expect(Date.now() - started).toBeLessThan(GRACE_MS);

    // Started in the grace period, still running when the app closes: it finishes.
    const inFlight = get('/slow');
    await app.get(SlowToStop).closingStarted;
    expect(Date.now() - started).toBeGreaterThanOrEqual(GRACE_MS);

    const late = await get('/health/live', kept);
    expect(late.reusedSocket).toBe(true);
    expect(late.status).toBe(503);
    expect(late.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(late.headers['retry-after']).toBe('1');
    expect(late.headers.connection).toBe('close');
    expect(late.body).toMatchObject({ code: 'service_unavailable', requestId: late.headers['x-request-id'] });

    expect(await inFlight).toMatchObject({ status: 200, body: { done: true } });
    await stopped;
    expect(Date.now() - started).toBeLessThan(GRACE_MS + SLOW_MS + 3_000);
    await expect(get('/health/live')).rejects.toThrow(/ECONNREFUSED/);
  });
});
