/**
 * The one way the console talks to the server: the admin API and sign-in at this origin. The
 * tokens live in this module only (never in storage or cookies, so a reload means signing in again
 * and there is nothing for another site to ride on).
 */
let accessToken: string | undefined;
let refreshToken: string | undefined;
let onExpired: () => void = () => undefined;

/** A problem+json answer (or a network failure) the pages show with its code and request id. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly requestId: string | undefined,
    detail: string | undefined,
  ) {
    super(detail ?? code);
  }
}

/** Called when the server says the token is no longer good: the console goes back to sign-in. */
export function whenExpired(handler: () => void): void {
  onExpired = handler;
}

export const signedIn = (): boolean => accessToken !== undefined;

/** The access token's groups (the server checks them again on every admin call). */
export function groups(): string[] {
  try {
    const part = accessToken!.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(part)) as { 'cognito:groups'?: unknown };
    const g = claims['cognito:groups'];
    return Array.isArray(g) ? g.map(String) : [];
  } catch {
    return [];
  }
}

export async function signIn(email: string, password: string): Promise<void> {
  const tokens = await call<{ accessToken: string; refreshToken?: string }>('POST', '/v2/auth/login', {
    email,
    password,
  });
  accessToken = tokens.accessToken;
  refreshToken = tokens.refreshToken;
}

/** Forgets the tokens and revokes the refresh token at the server (best effort). */
export async function signOut(): Promise<void> {
  const refresh = refreshToken;
  accessToken = refreshToken = undefined;
  if (refresh) await call('POST', '/v2/auth/logout', { refreshToken: refresh }).catch(() => undefined);
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

/** One JSON call; a non-2xx answer throws ApiError, a 401 on an admin call also ends the session. */
export async function call<T = unknown>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(accessToken && !path.startsWith('/v2/auth/') ? { authorization: `Bearer ${accessToken}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network_error', undefined, 'The server could not be reached');
  }
  const json = await res.json().catch(() => ({}) as Record<string, unknown>);
  if (res.ok) return json as T;
  const err = new ApiError(
    res.status,
    typeof json.code === 'string' ? json.code : `http_${res.status}`,
    typeof json.requestId === 'string' ? json.requestId : (res.headers.get('x-request-id') ?? undefined),
    typeof json.detail === 'string' ? json.detail : undefined,
  );
  if (res.status === 401 && !path.startsWith('/v2/auth/')) {
    accessToken = refreshToken = undefined;
    onExpired();
  }
  throw err;
}

/** A query string from the set values. */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
