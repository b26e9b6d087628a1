import { Body, Controller, Get, HttpCode, Module, Post, UseGuards } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsInt, IsString, Length, Max, Min } from 'class-validator';
import request from 'supertest';
import { BaseEnv, loadConfig } from '@paychat/config';
import { AppError } from '@paychat/errors';
import { InternalCallers, InternalGuard, ServiceKeys, signRequest } from '@paychat/signing';
import { createApp } from './bootstrap';
import { CoreModule } from './core.module';
import { Public } from './public.decorator';

class ThingDto {
  @IsString()
  @Length(1, 10)
  name!: string;

  @IsInt()
  @Min(1)
  @Max(1_000_000)
  amount!: number;
}

@Public()
@Controller()
class SampleController {
  @Post('things')
  @HttpCode(201)
  create(@Body() dto: ThingDto) {
    return dto;
  }

  @Get('boom')
  boom() {
    throw new Error('SELECT secret FROM db-internal-7.paychat.local failed');
  }

  @Get('domain')
  domain() {
    throw new AppError('insufficient_funds', 'Balance is too low');
  }

  @Post('internal/echo')
  @UseGuards(InternalGuard)
  @InternalCallers('gateway')
  echo(@Body() body: unknown) {
    return { body };
  }
}

@Module({ controllers: [SampleController], providers: [InternalGuard] })
class SampleModule {}

describe('platform: problem+json errors, validation, request ids, internal signatures', () => {
  let app: NestFastifyApplication;
  const config = loadConfig(BaseEnv, {
    LOG_LEVEL: 'silent',
    INTERNAL_SECRETS: 'gateway>sample:gateway-to-sample-secret,wallet>sample:wallet-to-sample-secret',
  });

  beforeAll(async () => {
    app = await createApp({ module: SampleModule, imports: [CoreModule.forRoot('sample', config)] }, config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());

  function expectProblem(res: request.Response, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code, type: `urn:paychat:problem:${code}` });
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  }

  it('accepts a valid body', async () => {
    const res = await http().post('/things').send({ name: 'tea', amount: 5 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ name: 'tea', amount: 5 });
  });

  it('lists every invalid and unknown field without echoing values', async () => {
    const res = await http()
      .post('/things')
      .send({ name: 'x'.repeat(11), amount: 1.5, balance: 'SECRET-VALUE' });
    expectProblem(res, 400, 'validation_failed');
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['amount', 'balance', 'name']);
    expect(JSON.stringify(res.body)).not.toContain('SECRET-VALUE');
    expect(JSON.stringify(res.body)).not.toContain('xxxxxxxxxxx');
  });

  it.each([['"100"'], ['null'], ['true'], ['-1'], ['0'], ['1e21']])('refuses amount %s', async (amount) => {
    const res = await http()
      .post('/things')
      .set('content-type', 'application/json')
      .send(`{"name":"a","amount":${amount}}`);
    expectProblem(res, 400, 'validation_failed');
    expect(new Set(res.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['amount']));
  });

  it('answers malformed JSON with malformed_json', async () => {
    const res = await http().post('/things').set('content-type', 'application/json').send('{"name":');
    expectProblem(res, 400, 'malformed_json');
  });

  it('answers a body over 1 MiB with 413', async () => {
    const res = await http()
      .post('/things')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ name: 'a', pad: 'x'.repeat(1024 * 1024) }));
    expectProblem(res, 413, 'payload_too_large');
  });

  it('answers an unknown route with 404', async () => {
    expectProblem(await http().get('/v2/nothing-here'), 404, 'not_found');
  });

  it('hides the internals of an unexpected error', async () => {
    const res = await http().get('/boom');
    expectProblem(res, 500, 'internal_error');
    expect(JSON.stringify(res.body)).not.toMatch(/SELECT|db-internal|stack|Error:/);
  });

  it('renders a domain error with its code', async () => {
    const res = await http().get('/domain');
    expectProblem(res, 422, 'insufficient_funds');
    expect(res.body.detail).toBe('Balance is too low');
  });

  it('keeps a well-formed X-Request-Id and replaces a malformed one', async () => {
    const kept = await http().get('/health/live').set('x-request-id', 'abc-123');
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await http().get('/health/live').set('x-request-id', 'bad id!');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves liveness and readiness', async () => {
    expect((await http().get('/health/live')).body).toEqual({ status: 'ok' });
    expect((await http().get('/health/ready')).body).toEqual({ status: 'ok', checks: {} });
  });

  describe('internal routes', () => {
    const body = JSON.stringify({ hello: 'world' });
    const keyOf = (caller: string) => ServiceKeys.parse(config.INTERNAL_SECRETS, caller).signingKey('sample');

    it('refuse a correctly signed call from a service the route does not name (403)', async () => {
      const headers = signRequest(keyOf('wallet'), { method: 'POST', path: '/internal/echo', body });
      const res = await http()
        .post('/internal/echo')
        .set(headers)
        .set('content-type', 'application/json')
        .send(body);
      expect([res.status, res.body.code]).toEqual([403, 'forbidden']);
    });

    it('accept a correctly signed call', async () => {
      const headers = signRequest(keyOf('gateway'), { method: 'POST', path: '/internal/echo', body });
      const res = await http()
        .post('/internal/echo')
        .set(headers)
        .set('content-type', 'application/json')
        .send(body);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ body: { hello: 'world' } });
    });

    it('refuse an unsigned call, a tampered body and a bare x-user-id', async () => {
      const headers = signRequest(keyOf('gateway'), { method: 'POST', path: '/internal/echo', body });
      expectProblem(
        await http().post('/internal/echo').set('x-user-id', 'admin').send({ hello: 'world' }),
        401,
        'unauthorized',
      );
      const tampered = await http()
        .post('/internal/echo')
        .set(headers)
        .set('content-type', 'application/json')
        .send(JSON.stringify({ hello: 'mallory' }));
      expectProblem(tampered, 401, 'unauthorized');
    });
  });
});
