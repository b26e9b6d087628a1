import { readFileSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateIf, validateSync } from 'class-validator';
import { ConfigError } from '@paychat/config';

export const UPSTREAMS = ['wallet', 'messages', 'legacy'] as const;
export type UpstreamName = (typeof UPSTREAMS)[number];

/** Public path prefixes only: `/v1…`, `/v2…`, `/admin/v1…` (the old admin), `/admin/v2…`; segments literal or `:param`. */
const PREFIX = /^\/(v1|v2|admin\/v1|admin\/v2)(\/([A-Za-z0-9._~-]+|:[a-z][A-Za-z0-9]*))*$/;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** Paths the gateway answers itself: a route may not take them over. */
const GATEWAY_OWNED = ['/v2/auth'];

/**
 * One line of the strangler route table: requests under `prefix` go to `upstream`. Config, not
 * code: carving a legacy route is a new line (see README, "Carving a route").
 */
export class RouteEntry {
  @Matches(PREFIX, {
    message: 'prefix must be a /v1, /v2, /admin/v1 or /admin/v2 path (segments or :params)',
  })
  prefix!: string;

  @IsIn(UPSTREAMS)
  upstream!: UpstreamName;

  /** Replaces the matched prefix on the way upstream (the rest of the path and the query follow). */
  @IsOptional()
  @Matches(/^\/[A-Za-z0-9._~:/{}-]*$/, { message: 'rewrite must be a path' })
  rewrite?: string;

  /** Overrides UPSTREAM_TIMEOUT_MS (e.g. chat long-polls). */
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(120_000)
  timeoutMs?: number;

  /**
   * `legacy-session`: the gateway is the anti-corruption layer — it validates the caller's legacy
   * session with the legacy app and calls the upstream with its service signature, the legacy user
   * id in the path (`{legacyUserId}` in `rewrite`).
   */
  @IsOptional()
  @IsIn(['legacy-session'])
  auth?: 'legacy-session';

  /**
   * The one method a `legacy-session` route answers (it signs exactly the carved call: this method,
   * the prefix itself, no query).
   */
  @ValidateIf((entry: RouteEntry) => entry.auth === 'legacy-session')
  @IsIn(METHODS, { message: `a legacy-session route names its method: ${METHODS.join(', ')}` })
  method?: (typeof METHODS)[number];
}

function parse(json: string, source: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new ConfigError([`${source}: not JSON (${(err as Error).message})`]);
  }
  if (!Array.isArray(value)) throw new ConfigError([`${source}: must be a JSON array of routes`]);
  return value;
}

function validate(raw: unknown[], source: string): RouteEntry[] {
  const problems: string[] = [];
  const entries = raw.map((item, i) => {
    const entry = plainToInstance(RouteEntry, item);
    for (const e of validateSync(entry, { whitelist: true, forbidNonWhitelisted: true }))
      problems.push(`${source}[${i}].${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    if (typeof entry.prefix === 'string') {
      if (GATEWAY_OWNED.some((p) => entry.prefix === p || entry.prefix.startsWith(`${p}/`)))
        problems.push(`${source}[${i}].prefix: ${entry.prefix} is answered by the gateway itself`);
      const placeholder = entry.rewrite?.includes('{legacyUserId}');
      if (placeholder && entry.auth !== 'legacy-session')
        problems.push(`${source}[${i}].rewrite: {legacyUserId} needs auth "legacy-session"`);
      if (entry.method && entry.auth !== 'legacy-session')
        problems.push(`${source}[${i}].method: only legacy-session routes name a method`);
      if (entry.rewrite?.startsWith('/internal') && entry.auth !== 'legacy-session')
        problems.push(
          `${source}[${i}].rewrite: /internal targets are only for signed (legacy-session) routes`,
        );
    }
    return entry;
  });
  if (problems.length) throw new ConfigError(problems);
  return entries;
}

/**
 * The route table: the file, then GATEWAY_ROUTES (inline JSON) replacing or adding entries by
 * prefix. Validated at boot: a bad entry stops the gateway naming it. `/internal/*` can never be
 * a prefix, and anything not in the table is a 404 from the gateway.
 */
export function loadRouteTable(file: string, override?: string): RouteEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([`GATEWAY_ROUTES_FILE: cannot read ${file} (${(err as Error).message})`]);
  }
  const base = validate(parse(text, 'GATEWAY_ROUTES_FILE'), 'GATEWAY_ROUTES_FILE');
  const extra = override ? validate(parse(override, 'GATEWAY_ROUTES'), 'GATEWAY_ROUTES') : [];
  const byPrefix = new Map(base.map((r) => [r.prefix, r]));
  for (const r of extra) byPrefix.set(r.prefix, r);
  return [...byPrefix.values()];
}

/** The concrete path an entry sends upstream: its rewrite in place of the matched prefix. */
export function upstreamPath(route: RouteEntry, url: string, vars: Record<string, string> = {}): string {
  if (!route.rewrite) return url;
  const depth = route.prefix.split('/').length;
  const [path, query] = splitOnce(url, '?');
  const rest = path.split('/').slice(depth).join('/');
  const target = route.rewrite.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(vars[name] ?? ''),
  );
  return `${target}${rest ? `/${rest}` : ''}${query !== undefined ? `?${query}` : ''}`;
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}
