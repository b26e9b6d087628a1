import { Body, Controller, Get, Module, OnModuleInit, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import request from 'supertest';
import { BaseEnv, loadConfig } from '@paychat/config';
import { AppError } from '@paychat/errors';
import { Metrics } from '@paychat/telemetry';
import { createApp } from './bootstrap';
import { CoreModule } from './core.module';
import { Public } from './public.decorator';
import { type DependencyState, Readiness } from './readiness';

/** What the sample app depends on: a database it needs (`db`) and a cache it serves without. */
const db = { failing: false };
let cache: DependencyState = { up: true };

@Module({})
class DependenciesModule implements OnModuleInit {
  constructor(private readonly readiness: Readiness) {}

  onModuleInit(): void {
    this.readiness.register('db', async () => {
      if (db.failing)
        throw Object.assign(new Error('connect to mysql://paychat:hunter2@db-7.internal refused'), {
          code: 'ECONNREFUSED',
        });
    });
    this.readiness.registerDegradable('cache', () => cache);
  }
}

@Public()
@Controller()
class SampleController {
  @Post('things')
  create(@Body() body: unknown) {
    return body;
  }

  @Get('things/:id')
  thing() {
    throw new AppError('conflict', 'Taken');
  }
}

@Module({ imports: [DependenciesModule], controllers: [SampleController] })
class SampleModule {}

type Line = Record<string, unknown> & { level: number; msg?: string; context?: string };

describe('health with causes, problem counts and lean logs', () => {
  let app: NestFastifyApplication;
  /** Every line the app logs, from its first (the logger is built with the module). */
  const lines: Line[] = [];

  beforeAll(async () => {
    jest
      .spyOn(pino, 'destination')
      .mockReturnValue({ write: (line: string) => lines.push(JSON.parse(line) as Line) } as never);
    const config = loadConfig(BaseEnv, { LOG_LEVEL: 'debug', LOG_PRETTY: 'false' });
    app = await createApp({ module: SampleModule, imports: [CoreModule.forRoot('sample', config)] }, config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app.close();
    jest.restoreAllMocks();
  });
  afterEach(() => {
    db.failing = false;
    cache = { up: true };
  });

  const http = () => request(app.getHttpServer());
  const ready = () => http().get('/health/ready');

  describe('readiness', () => {
    it('lists every dependency as up, with nothing to explain', async () => {
      const res = await ready();
      expect([res.status, res.body]).toEqual([200, { status: 'ok', checks: { db: 'up', cache: 'up' } }]);
    });

    it('stays ready with a degraded dependency, saying why it is down without its URL', async () => {
      cache = { up: false, reason: 'redis://:hunter2@cache.internal:6379 refused the connection' };
      const res = await ready();
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        status: 'ok',
        checks: { db: 'up', cache: 'degraded' },
        error: { cache: { status: 'down', message: '[url] refused the connection' } },
      });
    });

    it('answers 503 naming each failing dependency with its error code, never its message', async () => {
      db.failing = true;
      cache = { up: false, reason: 'connection closed' };
      const res = await ready();
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        code: 'service_unavailable',
        detail: 'Not ready: db',
        checks: { db: 'down', cache: 'degraded' },
        error: {
          db: { status: 'down', message: 'ECONNREFUSED' },
          cache: { status: 'down', message: 'connection closed' },
        },
      });
      expect(JSON.stringify(res.body)).not.toMatch(/hunter2|db-7/);
    });

    it('logs a failing check when it starts failing and when it passes again, not at every poll', async () => {
      const poll = async (failing: boolean, times: number) => {
        db.failing = failing;
        for (let i = 0; i < times; i++) await ready();
      };
      await poll(false, 1); // passing before, whatever the tests above left
      const from = lines.length;
      await poll(true, 3);
      await poll(false, 2);
      await poll(true, 2);
      const logged = lines.slice(from).filter((l) => l.level >= 30);
      expect(
        logged.map(({ level, msg, dependency, reason }) => ({ level, msg, dependency, reason })),
      ).toEqual([
        {
          level: 40,
          msg: 'readiness check fails: not ready until it passes',
          dependency: 'db',
          reason: 'ECONNREFUSED',
        },
        { level: 30, msg: 'readiness check passes again', dependency: 'db', reason: undefined },
        {
          level: 40,
          msg: 'readiness check fails: not ready until it passes',
          dependency: 'db',
          reason: 'ECONNREFUSED',
        },
      ]);
      expect(logged.some((l) => 'err' in l)).toBe(false);
    });
  });

  it('counts each problem answer by route template, status and code', async () => {
    const metrics = app.get(Metrics);
    const count = (labels: Record<string, string>) => metrics.valueOf('http_server_problems_total', labels);
    const conflict = { route: '/things/:id', status_code: '409', code: 'conflict' };
    const unready = { route: '/health/ready', status_code: '503', code: 'service_unavailable' };
    const before = [await count(conflict), await count(unready)];
    expect((await http().get('/things/7')).status).toBe(409);
    db.failing = true;
    expect((await ready()).status).toBe(503);
    expect([await count(conflict), await count(unready)]).toEqual([before[0] + 1, before[1] + 1]);
  });

  describe('logs', () => {
    it('keep a short allow-list of request headers on the access line, the credential redacted', async () => {
      await http()
        .post('/things')
        .set({
          authorization: 'Bearer secret-token-1',
          cookie: 'session=secret-cookie-1',
          'user-agent': 'paychat-test/1.0',
          'x-request-id': 'lean-log-1',
          'x-forwarded-for': '203.0.113.9',
        })
        .send({ name: 'tea' });
      const line = lines.find((l) => l.requestId === 'lean-log-1' && l.msg === 'request completed');
      expect(line).toMatchObject({ route: '/things', res: { statusCode: 201 } });
      expect(line!.req).toEqual({
        method: 'POST',
        url: '/things',
        headers: {
          authorization: '[redacted]',
          'content-length': '14',
          'user-agent': 'paychat-test/1.0',
          'x-request-id': 'lean-log-1',
        },
      });
      expect(JSON.stringify(lines)).not.toMatch(/secret-token-1|secret-cookie-1|203\.0\.113\.9/);
    });

    it("log Nest's start-up chatter (modules, controllers, mapped routes) at debug, never at info", () => {
      const startup = lines.filter((l) =>
        ['InstanceLoader', 'RoutesResolver', 'RouterExplorer'].includes(l.context ?? ''),
      );
      expect(startup.map((l) => l.msg)).toContain('Mapped {/things, POST} route');
      expect(new Set(startup.map((l) => l.level))).toEqual(new Set([20]));
    });
  });
});
