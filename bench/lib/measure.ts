import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';

/** A money POST as a phone sends it: the user's token, a fresh Idempotency-Key, a JSON body. */
export const moneyPost = (req: autocannon.Request, token: string, body: object): autocannon.Request => ({
  ...req,
  headers: {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
    'idempotency-key': randomUUID(),
  },
  body: JSON.stringify(body),
});

export interface Figure {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** What the first failed op threw (raw and paced loads; autocannon counts failures only). */
  firstError?: string;
}

/** The mean of runs of one measurement (rates and latencies averaged, errors added up). */
export function meanFigure(runs: Figure[]): Figure {
  const mean = (f: (x: Figure) => number) => runs.reduce((sum, x) => sum + f(x), 0) / runs.length;
  return {
    perSecond: mean((x) => x.perSecond),
    p50: mean((x) => x.p50),
    p99: mean((x) => x.p99),
    errors: runs.reduce((sum, x) => sum + x.errors, 0),
  };
}

/** HTTP load with autocannon; `setup` shapes each request (token, key, body). */
export async function loadHttp(opts: {
  url: string;
  connections: number;
  seconds: number;
  method: 'GET' | 'POST';
  path: string;
  setup: (req: autocannon.Request) => autocannon.Request;
  /** Requests per second over all connections (open model); unset = as fast as answers come. */
  overallRate?: number;
}): Promise<Figure> {
  const result = await autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.seconds,
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
    requests: [{ method: opts.method, path: opts.path, setupRequest: opts.setup }],
  });
  const ok = result['2xx'];
  return {
    perSecond: ok / opts.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors,
  };
}

/** The raw baseline: `clients` loops each running `op` back to back for `seconds`. */
export async function loadRaw(opts: {
  clients: number;
  seconds: number;
  op: (client: number) => Promise<void>;
}): Promise<Figure> {
  const latencies: number[] = [];
  const errors = errorCounter();
  const until = Date.now() + opts.seconds * 1000;
  await Promise.all(
    Array.from({ length: opts.clients }, async (_, client) => {
      while (Date.now() < until) {
        const start = process.hrtime.bigint();
        try {
          await opts.op(client);
          latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
        } catch (err) {
          errors.add(err);
        }
      }
    }),
  );
  return figure(latencies, opts.seconds, errors);
}

/**
 * Open-model load: `op` started `rate` times a second for `seconds`, whatever the answers (as users
 * arrive). Latency counts from each op's scheduled start, so falling behind shows in it.
 */
export async function loadPaced(opts: {
  rate: number;
  seconds: number;
  op: (i: number) => Promise<void>;
}): Promise<Figure> {
  const latencies: number[] = [];
  const errors = errorCounter();
  const started: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < Math.round(opts.rate * opts.seconds); i++) {
    const due = start + (i * 1000) / opts.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    started.push(
      opts.op(i).then(
        () => void latencies.push(performance.now() - due),
        (err) => errors.add(err),
      ),
    );
  }
  await Promise.all(started);
  return figure(latencies, opts.seconds, errors);
}

/** Percentile `q` (0–1) of ascending `sorted` (0 when empty). */
export const percentile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

function errorCounter() {
  return {
    count: 0,
    first: undefined as string | undefined,
    add(err: unknown) {
      this.count++;
      this.first ??= (err as Error)?.message ?? String(err);
    },
  };
}

function figure(latencies: number[], seconds: number, errors: ReturnType<typeof errorCounter>): Figure {
  latencies.sort((a, b) => a - b);
  return {
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors: errors.count,
    ...(errors.first === undefined ? {} : { firstError: errors.first }),
  };
}

export interface Row {
  scenario: string;
  clients: number;
  service: Figure;
  raw: Figure;
}

/** One scenario at each client count: the service over HTTP, then the raw baseline, back to back. */
export async function compare(opts: {
  scenario: string;
  clientCounts: number[];
  seconds: number;
  http: Omit<Parameters<typeof loadHttp>[0], 'connections' | 'seconds'>;
  raw: (client: number) => Promise<void>;
}): Promise<Row[]> {
  const rows: Row[] = [];
  for (const clients of opts.clientCounts) {
    const service = await loadHttp({ ...opts.http, connections: clients, seconds: opts.seconds });
    const raw = await loadRaw({ clients, seconds: opts.seconds, op: opts.raw });
    rows.push({ scenario: opts.scenario, clients, service, raw });
  }
  return rows;
}

const f = (n: number, digits = 0) => n.toFixed(digits).padStart(8);

export function printTable(title: string, rows: Row[], serviceLabel = 'service', rawLabel = 'raw'): void {
  const line = `| scenario              | clients | ${serviceLabel} /s | p50 ms | p99 ms | ${rawLabel} /s | p50 ms | p99 ms | ratio |`;
  process.stdout.write(`\n${title}\n${line}\n|${line.slice(1).replace(/[^|]/g, '-')}\n`);
  for (const r of rows) {
    process.stdout.write(
      `| ${r.scenario.padEnd(21)} | ${String(r.clients).padStart(7)} | ${f(r.service.perSecond)} | ${f(r.service.p50, 1)} | ${f(r.service.p99, 1)} | ${f(r.raw.perSecond)} | ${f(r.raw.p50, 1)} | ${f(r.raw.p99, 1)} | ${(r.service.perSecond / r.raw.perSecond).toFixed(2).padStart(5)} |\n`,
    );
  }
  const errors = rows.reduce((n, r) => n + r.service.errors + r.raw.errors, 0);
  process.stdout.write(`errors (non-2xx or failed ops): ${errors}\n`);
}
