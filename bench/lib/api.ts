import { Pool } from 'undici';

export interface Answer<T> {
  status: number;
  body: T;
}

export interface CallOptions {
  body?: object;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** JSON calls with a user's access token to one origin (the gateway), over a keep-alive pool. */
export class Api {
  private readonly pool: Pool;

  constructor(origin: string, connections: number) {
    this.pool = new Pool(origin, { connections, pipelining: 1 });
  }

  async call<T>(
    method: 'GET' | 'POST',
    path: string,
    token: string,
    opts: CallOptions = {},
  ): Promise<Answer<T>> {
    const res = await this.pool.request({
      method,
      path,
      headers: {
        authorization: `Bearer ${token}`,
        ...(opts.body ? { 'content-type': 'application/json' } : {}),
        ...(opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {}),
      },
      body: opts.body ? JSON.stringify(opts.body) : undefined,
      signal: opts.signal,
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** The answer's body; throws (with the problem's text) unless its status is one of `ok`. */
  async expect<T>(
    ok: number[],
    method: 'GET' | 'POST',
    path: string,
    token: string,
    opts?: CallOptions,
  ): Promise<T> {
    const res = await this.call<T>(method, path, token, opts);
    if (!ok.includes(res.status))
      throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    return res.body;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Runs `fn` over `items`, at most `concurrency` at a time; the first failure fails the whole. */
export async function inParallel<T>(
  items: T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}
