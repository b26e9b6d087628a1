import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { callJson, mintAccessToken } from '@paychat/testing';
import { gatewaysUnderTest, rawGet } from '../../apps/gateway/src/testing/gateways-under-test';
import { DEFAULT_RATE_LIMITS, RateLimits } from '../../apps/gateway/src/edge/rate-limits.config';

const low = (limits: Partial<RateLimits>) => JSON.stringify({ ...DEFAULT_RATE_LIMITS, ...limits });
const someIp = () => ['10', ...[0, 0, 0].map(() => Math.floor(Math.random() * 250))].join('.');
const token = (groups: string[] = []) => {
  const sub = randomUUID();
  return mintAccessToken({ claims: { sub, username: sub, 'cognito:groups': groups } });
};

/** What an attacker controls at the edge: the path's spelling, X-Forwarded-For, the body, the email. */
describe('a hostile client at the edge', () => {
  const gateways = gatewaysUnderTest();
  afterAll(() => gateways.stop());

  const login = (url: string, email: string, ip: string) =>
    callJson(url, 'POST', '/v2/auth/login', {
      body: { email, password: 'Wrong-Pass1!' },
      headers: { 'x-forwarded-for': ip },
    });

  it('cannot escape the per-account sign-in limit by rotating X-Forwarded-For (behind the ALB)', async () => {
    const url = await gateways.start({ RATE_LIMITS: low({ auth: { perIp: 1000, perAccount: 2 } }) });
    const email = `victim-${randomUUID()}@test.paychat.local`;
    // The same account however it is spelt: case does not make a new one.
    const tries = [email, email.toUpperCase(), email];
    const statuses = [];
    for (const e of tries) statuses.push((await login(url, e, someIp())).status);
    expect(statuses).toEqual([401, 401, 429]);
    expect((await login(url, `other-${randomUUID()}@test.paychat.local`, someIp())).status).toBe(401);
  });

  it('cannot choose the address it is counted as when no proxy is trusted', async () => {
    // Counters in memory: every test calls from 127.0.0.1, so shared ones would mix tests up.
    const url = await gateways.start({
      TRUST_PROXY_HOPS: '0',
      REDIS_URL: '',
      RATE_LIMITS: low({ auth: { perIp: 2 } }),
    });
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await login(url, `${randomUUID()}@test.paychat.local`, someIp())).status);
    expect(statuses).toEqual([401, 401, 429]);
  });

  it('counts the legacy sign-in (/v1/login) in the auth tier', async () => {
    const url = await gateways.start({ RATE_LIMITS: low({ auth: { perIp: 2 } }) });
    const ip = someIp();
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push(
        (
          await callJson(url, 'POST', '/v1/login', {
            body: { email: 'a@test.paychat.local', password: 'x' },
            headers: { 'x-forwarded-for': ip },
          })
        ).status,
      );
    expect(statuses).toEqual([200, 200, 429]);
  });

  it.each([
    '/v2/%61uth/login',
    '/v2/wallet/%74ransfers',
    '/v2/%75sers/alice',
    '/%61dmin/v2/users',
    '/v2/wallet/%2e%2e/%2e%2e/admin/v2/users',
    '/v2/wallet/../../admin/v2/users',
    '/v2/./wallet',
    '/v2/users/a%2Fb',
    '/v2//wallet',
    '/v2/users/%zz', // does not decode: the router refuses it before any hook, as problem+json too
  ])('refuses %s (a path the router would read differently) with 400 before anything else', async (path) => {
    const url = await gateways.start();
    const before = gateways.requests();
    const res = await rawGet(url, path, { authorization: `Bearer ${await token(['admin'])}` });
    expect([res.status, res.body.code]).toEqual([400, 'invalid_path']);
    expect(gateways.requests()).toBe(before);
  });

  it('classifies the decoded path: an encoded reserved character stays in its tier', async () => {
    // In-process counters: the case is about the tier, and a Redis command slower than its 100 ms
    // budget on a loaded machine would fail open (by design) and count nothing.
    const url = await gateways.start({
      RATE_LIMITS: low({ lookup: { perIp: 1000, perUser: 1 } }),
      REDIS_URL: '',
    });
    const caller = await token();
    const find = () => rawGet(url, '/v2/users/a%40b', { authorization: `Bearer ${caller}` });
    expect([(await find()).status, (await find()).status]).toEqual([200, 429]);
  });

  it('keeps /admin answers out of caches (no-store)', async () => {
    const url = await gateways.start();
    const res = await callJson(url, 'GET', '/admin/v2/users?query=x', { token: await token(['admin']) });
    expect([res.status, res.headers.get('cache-control')]).toEqual([200, 'no-store']);
  });

  it('answers a token-less request to a service 401 itself, GET or POST', async () => {
    const url = await gateways.start();
    const before = gateways.requests();
    for (const [method, path] of [
      ['GET', '/v2/wallet'],
      ['GET', '/v2/conversations'],
      ['POST', '/v2/wallet/transfers'],
      ['GET', '/admin/v2'],
    ]) {
      const res = await callJson(url, method, path, method === 'POST' ? { body: { amount: 1 } } : {});
      expect([method, path, res.status, res.body.code]).toEqual([method, path, 401, 'unauthorized']);
    }
    expect(gateways.requests()).toBe(before);
  });

  it('answers a token-less 300 MB upload 401 without reading it', async () => {
    const url = await gateways.start();
    const before = gateways.requests();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
    const status = await upload(`${url}/v2/wallet/transfers`, 300 * 1024 * 1024);
    clearInterval(sampler);
    expect(status).toBe(401);
    expect(rssPeak - rssBefore).toBeLessThan(100 * 1024 * 1024);
    expect(gateways.requests()).toBe(before);
  });

  it('is logged by route, with the values of its query redacted (an admin searching by email)', async () => {
    const url = await gateways.start();
    const log = captureLog();
    const email = `someone-${randomUUID()}@test.paychat.local`;
    try {
      await callJson(url, 'GET', `/admin/v2/users?query=${email}&limit=5`, { token: await token(['admin']) });
      await new Promise((r) => setTimeout(r, 100)); // written once the answer is sent
    } finally {
      log.stop();
    }
    expect(log.lines.find((l) => l.msg === 'request completed')).toMatchObject({
      route: '/admin/v2/*',
      req: { url: '/admin/v2/users?query=[redacted]&limit=[redacted]' },
    });
    expect(JSON.stringify(log.lines)).not.toContain(email);
  });

  it('does not echo the path of a 404 (it may be a rewritten, internal one)', async () => {
    const url = await gateways.start();
    const res = await callJson(url, 'GET', '/nowhere-secret?email=a@b', {});
    expect([res.status, res.body.code]).toEqual([404, 'not_found']);
    expect(JSON.stringify(res.body)).not.toMatch(/nowhere-secret|email/);
  });
});

/**
 * What the process logs at `info` until `stop()`: one pino root serves every app of a process (the
 * first one built, silent in tests), so its level is raised for the while.
 */
function captureLog() {
  const root = PinoLogger.root;
  const level = root.level;
  root.level = 'info';
  const lines: Record<string, unknown>[] = [];
  const stream = (root as unknown as Record<symbol, { write: (s: string) => void }>)[pino.symbols.streamSym];
  const spy = jest.spyOn(stream, 'write').mockImplementation((line: string) => {
    lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  return {
    lines,
    stop: () => {
      root.level = level;
      spy.mockRestore();
    },
  };
}

/** POSTs `bytes` of body (one chunk reused: the test's own memory stays flat); resolves the status. */
function upload(url: string, bytes: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(bytes) } },
      (res) => {
        res.resume();
        resolve(res.statusCode!);
        req.destroy();
      },
    );
    // The server hanging up mid-upload is expected once it has answered.
    req.on('error', (err) => setTimeout(() => reject(err), 1000));
    let sent = 0;
    const write = () => {
      while (sent < bytes && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}
