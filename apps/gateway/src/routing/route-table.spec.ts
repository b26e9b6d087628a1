import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@paychat/config';
import { loadRouteTable, upstreamPath } from './route-table';

const BUNDLED = join(__dirname, '..', '..', 'routes.json');

function fileWith(routes: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'routes-')), 'routes.json');
  writeFileSync(file, typeof routes === 'string' ? routes : JSON.stringify(routes));
  return file;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('strangler route table', () => {
  it('loads the bundled table: /v1 to legacy, the /v2 services, admin to the wallet', () => {
    const table = loadRouteTable(BUNDLED);
    const to = Object.fromEntries(table.map((r) => [r.prefix, r.upstream]));
    expect(to).toMatchObject({
      '/v1': 'legacy',
      '/v2/wallet': 'wallet',
      '/v2/conversations': 'messages',
      '/v2/conversations/:id/transfers': 'wallet',
      '/admin/v2': 'wallet',
    });
    expect(table.some((r) => r.prefix.startsWith('/internal'))).toBe(false);
  });

  it('GATEWAY_ROUTES carves a prefix by config alone: entries replace or join the file by prefix', () => {
    const carve = [
      {
        prefix: '/v1/balance',
        upstream: 'wallet',
        auth: 'legacy-session',
        method: 'GET',
        rewrite: '/internal/legacy/users/{legacyUserId}/balance',
      },
      { prefix: '/v2/devices', upstream: 'messages', timeoutMs: 2000 },
    ];
    const table = loadRouteTable(BUNDLED, JSON.stringify(carve));
    expect(table.find((r) => r.prefix === '/v1/balance')).toMatchObject(carve[0]);
    expect(table.filter((r) => r.prefix === '/v2/devices')).toEqual([
      expect.objectContaining({ timeoutMs: 2000 }),
    ]);
    expect(table.find((r) => r.prefix === '/v1')?.upstream).toBe('legacy');
  });

  it.each([
    [{ prefix: '/internal/events', upstream: 'messages' }, 'GATEWAY_ROUTES_FILE[0].prefix'],
    [{ prefix: '/v2/wallet', upstream: 'bank' }, 'GATEWAY_ROUTES_FILE[0].upstream'],
    [{ prefix: 'v2/wallet', upstream: 'wallet' }, 'GATEWAY_ROUTES_FILE[0].prefix'],
    [{ prefix: '/v2/auth/login', upstream: 'wallet' }, 'answered by the gateway itself'],
    [{ prefix: '/v2/x', upstream: 'wallet', timeoutMs: 5 }, 'GATEWAY_ROUTES_FILE[0].timeoutMs'],
    [{ prefix: '/v2/x', upstream: 'wallet', retries: 3 }, 'GATEWAY_ROUTES_FILE[0].retries'],
    [
      { prefix: '/v1/balance', upstream: 'wallet', rewrite: '/internal/x/{legacyUserId}' },
      'needs auth "legacy-session"',
    ],
    [
      { prefix: '/v2/x', upstream: 'wallet', rewrite: '/internal/events' },
      'only for signed (legacy-session) routes',
    ],
    [
      {
        prefix: '/v1/balance',
        upstream: 'wallet',
        auth: 'legacy-session',
        rewrite: '/internal/x/{legacyUserId}',
      },
      'a legacy-session route names its method',
    ],
    [{ prefix: '/v2/x', upstream: 'wallet', method: 'GET' }, 'only legacy-session routes name a method'],
  ])('rejects %j at boot, naming the entry', (entry, expected) => {
    const problems = problemsOf(() =>
      loadRouteTable(fileWith([{ prefix: '/v1', upstream: 'legacy' }, entry].slice(1))),
    );
    expect(problems.join('\n')).toContain(expected);
  });

  it('rejects a file or override that is not a JSON array', () => {
    expect(problemsOf(() => loadRouteTable(fileWith('{not json')))[0]).toMatch(
      /^GATEWAY_ROUTES_FILE: not JSON/,
    );
    expect(problemsOf(() => loadRouteTable(BUNDLED, '{"prefix":"/v1"}'))).toEqual([
      'GATEWAY_ROUTES: must be a JSON array of routes',
    ]);
    expect(problemsOf(() => loadRouteTable('/nonexistent/routes.json'))[0]).toContain('cannot read');
  });

  it('rewrites the matched prefix, keeping the rest of the path and the query', () => {
    const route = {
      prefix: '/v1/balance',
      upstream: 'wallet' as const,
      rewrite: '/internal/legacy/users/{legacyUserId}/balance',
    };
    expect(upstreamPath(route, '/v1/balance?currency=JPY', { legacyUserId: '42' })).toBe(
      '/internal/legacy/users/42/balance?currency=JPY',
    );
    expect(
      upstreamPath({ prefix: '/v2/old/:id', upstream: 'wallet', rewrite: '/v2/new' }, '/v2/old/7/items?x=1'),
    ).toBe('/v2/new/items?x=1');
    expect(upstreamPath({ prefix: '/v2/wallet', upstream: 'wallet' }, '/v2/wallet/transfers?limit=5')).toBe(
      '/v2/wallet/transfers?limit=5',
    );
  });
});
