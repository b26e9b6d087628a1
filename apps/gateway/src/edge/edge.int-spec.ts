import { randomUUID } from 'node:crypto';
import { callJson, mintAccessToken } from '@paychat/testing';
import { gatewaysUnderTest } from '../testing/gateways-under-test';
import { DEFAULT_RATE_LIMITS, RateLimits } from './rate-limits.config';

const low = (limits: Partial<RateLimits>) => JSON.stringify({ ...DEFAULT_RATE_LIMITS, ...limits });
/** Each test calls from its own address (the gateway trusts X-Forwarded-For from its ALB). */
const someIp = () =>
  `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
const user = (sub = randomUUID(), groups: string[] = []) =>
  mintAccessToken({ claims: { sub, username: sub, 'cognito:groups': groups } });

describe('the edge: tokens, admin group, rate limits (Redis), API docs', () => {
  const gateways = gatewaysUnderTest();
  const wallet = gateways.upstream;
  const gateway = gateways.start;
  afterAll(() => gateways.stop());

  const get = (url: string, path: string, opts: { token?: string; ip?: string } = {}) =>
    callJson(url, 'GET', path, { token: opts.token, headers: { 'x-forwarded-for': opts.ip ?? someIp() } });
  /** The gateway's count of one series (a fresh gateway per test: its own registry, from 0). */
  const counted = (url: string, name: string, labels: Record<string, string>) =>
    gateways.metrics(url).valueOf(name, labels);
  const rateLimited = (url: string, tier: string) =>
    counted(url, 'gateway_rate_limit_rejections_total', { tier });

  it('limits per IP: the N+1th request is a 429 problem with Retry-After; another IP is unaffected', async () => {
    const url = await gateway({ RATE_LIMITS: low({ default: { perIp: 3, perUser: 1000 } }) });
    const ip = someIp();
    const token = await user();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await get(url, '/v2/wallet', { ip, token }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    const limited = answers[3];
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(limited.body.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await get(url, '/v2/wallet', { token })).status).toBe(200);
    expect(await rateLimited(url, 'default')).toBe(1);
  });

  it('limits per user across IPs, stricter for money-moving POSTs', async () => {
    const url = await gateway({
      RATE_LIMITS: low({ default: { perIp: 1000, perUser: 3 }, money: { perIp: 1000, perUser: 1 } }),
    });
    const [alice, bob] = await Promise.all([user(), user()]);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(url, '/v2/wallet', { token: alice })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await get(url, '/v2/wallet', { token: bob })).status).toBe(200);

    const pay = () =>
      callJson(url, 'POST', '/v2/wallet/transfers', {
        token: bob,
        body: { amount: 1 },
        // A fresh address each time: only the per-user limit is under test (the per-IP counters in the
        // shared Redis also count other suites' requests from 127.0.0.1).
        headers: { 'idempotency-key': randomUUID(), 'x-forwarded-for': someIp() },
      });
    expect([(await pay()).status, (await pay()).status]).toEqual([200, 429]);
    expect([await rateLimited(url, 'default'), await rateLimited(url, 'money')]).toEqual([1, 1]);
  });

  it('is stricter on the auth endpoints', async () => {
    const url = await gateway({ RATE_LIMITS: low({ auth: { perIp: 2 } }) });
    const ip = someIp();
    const email = `nobody-${randomUUID()}@test.paychat.local`;
    const login = () =>
      callJson(url, 'POST', '/v2/auth/login', {
        body: { email, password: 'Wrong-Pass1!' },
        headers: { 'x-forwarded-for': ip },
      });
    expect([(await login()).status, (await login()).status, (await login()).status]).toEqual([401, 401, 429]);
    expect(await rateLimited(url, 'auth')).toBe(1);
  });

  it('shares the counters between gateway instances through Redis', async () => {
    const limits = { RATE_LIMITS: low({ default: { perIp: 4, perUser: 1000 } }) };
    const [one, two] = await Promise.all([gateway(limits), gateway(limits)]);
    const ip = someIp();
    const token = await user();
    const statuses = [];
    for (const url of [one, two, one, two, one])
      statuses.push((await get(url, '/v2/wallet', { ip, token })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });

  it('refuses a forged or expired token itself (401), and /admin without the admin group (403), before any upstream', async () => {
    const url = await gateway();
    const before = wallet.seen.length;
    const forged = await mintAccessToken({ foreignKey: true });
    const expired = await mintAccessToken({ expiresIn: -60 });
    for (const token of [forged, expired]) {
      const res = await get(url, '/v2/wallet', { token });
      expect([res.status, res.body.code]).toEqual([401, 'unauthorized']);
    }
    const noToken = await get(url, '/admin/v2/users?query=x');
    expect([noToken.status, noToken.body.code]).toEqual([401, 'unauthorized']);
    const notAdmin = await get(url, '/admin/v2/users?query=x', { token: await user() });
    expect([notAdmin.status, notAdmin.body.code]).toEqual([403, 'forbidden']);
    expect(wallet.seen.length).toBe(before);
    const reasons = ['invalid_signature', 'expired', 'missing', 'not_admin'];
    const rejections = reasons.map((reason) => counted(url, 'auth_token_rejections_total', { reason }));
    expect(await Promise.all(rejections)).toEqual([1, 1, 1, 1]);

    const admin = await get(url, '/admin/v2/users?query=x', { token: await user(randomUUID(), ['admin']) });
    expect(admin.status).toBe(200);
    expect(admin.headers.get('cache-control')).toBe('no-store');
    expect(wallet.seen.at(-1)!.url).toBe('/admin/v2/users?query=x');
  });

  it('serves the one API document at /openapi.json and Swagger UI at /docs', async () => {
    const url = await gateway();
    const doc = await callJson<{ openapi: string; paths: Record<string, unknown> }>(
      url,
      'GET',
      '/openapi.json',
    );
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\.1/);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/v2/wallet/transfers',
        '/v2/conversations/{id}/messages',
        '/admin/v2/ledger/health',
      ]),
    );
    const ui = await fetch(`${url}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });
});
