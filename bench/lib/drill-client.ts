import { Pool } from 'undici';

/** How a phone retries: the same request (same Idempotency-Key), a bounded number of times. */
const MAX_ATTEMPTS = 6;
const GIVE_UP_MS = 20_000;
/** A Retry-After longer than this is waited only this long (a phone's patience per attempt). */
const MAX_RETRY_AFTER_MS = 5_000;

export interface Request {
  method: 'GET' | 'POST';
  path: string;
  token: string;
  body?: object;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface Final {
  ok: boolean;
  status: number | 'network';
  // Answers of every route pass through here; each caller reads what it expects.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/**
 * What clients met during one scenario. A request counts once, with its final answer (after the
 * client's retries); every answer that made the client retry is counted by kind as well.
 */
export class Tally {
  requests = 0;
  /** Final answers that were not a success, by `<status> <code>`. */
  readonly failed = new Map<string, number>();
  /** Answers the client retried on, by `<status> <code>` and whether they carried Retry-After. */
  readonly retried = new Map<string, number>();
  /** When the last answer that was not a success, or the final answer to a retried request, came (ms since the epoch; 0: none). */
  troubleEndedAt = 0;
  /** The longest a retried request took from its first attempt to its final answer. */
  longestRetriedMs = 0;

  get failures(): number {
    return [...this.failed.values()].reduce((a, b) => a + b, 0);
  }

  get retries(): number {
    return [...this.retried.values()].reduce((a, b) => a + b, 0);
  }
}

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

/** `<status> <problem code>`, or `network <error code>`. */
function describe(status: number | 'network', body: unknown, err?: unknown): string {
  if (status === 'network') {
    const e = err as { code?: string; cause?: { code?: string }; name?: string };
    return `network ${e?.code ?? e?.cause?.code ?? e?.name ?? 'error'}`;
  }
  const code = (body as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `${status} ${code}` : String(status);
}

/**
 * Calls through the gateway as a phone does: on a network error, or a 503 or 429, it sends the
 * very same request again (same Idempotency-Key), after Retry-After when given, else after a short
 * jittered back-off, up to MAX_ATTEMPTS times within GIVE_UP_MS. Any other answer is final.
 */
export class PhoneClient {
  private readonly pool: Pool;
  tally = new Tally();

  constructor(origin: string, connections: number) {
    this.pool = new Pool(origin, { connections, pipelining: 1, headersTimeout: 30_000, bodyTimeout: 30_000 });
  }

  /** The final answer, or undefined when `signal` aborted it (the load stopping: not counted). */
  async call(req: Request): Promise<Final | undefined> {
    const tally = this.tally;
    const began = Date.now();
    const giveUpAt = began + GIVE_UP_MS;
    const end = (attempts: number) => {
      tally.requests++;
      if (attempts === 1) return;
      tally.troubleEndedAt = Date.now();
      tally.longestRetriedMs = Math.max(tally.longestRetriedMs, Date.now() - began);
    };
    for (let attempt = 1; ; attempt++) {
      const answer = await this.once(req);
      if (req.signal?.aborted) return undefined;
      const { status, body, retryAfterMs, err } = answer;
      const ok = typeof status === 'number' && status >= 200 && status < 300;
      if (ok) {
        end(attempt);
        return { ok, status, body };
      }
      tally.troubleEndedAt = Date.now();
      const retryable = status === 'network' || status === 503 || status === 429;
      const waitMs = retryAfterMs ?? Math.min(3_000, 200 * 2 ** (attempt - 1)) * (0.5 + Math.random());
      if (!retryable || attempt >= MAX_ATTEMPTS || Date.now() + waitMs > giveUpAt) {
        end(attempt);
        bump(tally.failed, describe(status, body, err));
        return { ok, status, body };
      }
      const hint =
        status === 'network' ? '' : retryAfterMs === undefined ? ' (no Retry-After)' : ' (Retry-After)';
      bump(tally.retried, describe(status, body, err) + hint);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async once(req: Request): Promise<{
    status: number | 'network';
    body?: unknown;
    retryAfterMs?: number;
    err?: unknown;
  }> {
    try {
      const res = await this.pool.request({
        method: req.method,
        path: req.path,
        headers: {
          authorization: `Bearer ${req.token}`,
          ...(req.body ? { 'content-type': 'application/json' } : {}),
          ...(req.idempotencyKey ? { 'idempotency-key': req.idempotencyKey } : {}),
        },
        body: req.body ? JSON.stringify(req.body) : undefined,
        signal: req.signal,
      });
      const text = await res.body.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (e.g. a raw error page): kept as text
      }
      const retryAfter = Number(res.headers['retry-after']);
      return {
        status: res.statusCode,
        body,
        retryAfterMs:
          res.headers['retry-after'] !== undefined && Number.isFinite(retryAfter)
            ? Math.min(MAX_RETRY_AFTER_MS, retryAfter * 1000)
            : undefined,
      };
    } catch (err) {
      return { status: 'network', err };
    }
  }
}
