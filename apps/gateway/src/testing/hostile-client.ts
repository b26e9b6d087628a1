import { request as httpRequest, type ServerResponse } from 'node:http';
import { stubUpstream } from './stub-upstream';

/**
 * A stand-in upstream that answers at once, except the requests `hold` picks: those wait until
 * `release()`. `held()` counts those still waiting; `dropped` those whose caller went away first.
 */
export function holdingUpstream(hold: (url: string) => boolean) {
  const waiting = new Set<ServerResponse>();
  let dropped = 0;
  const stub = stubUpstream((req, res) => {
    if (!hold(req.url)) return res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    waiting.add(res);
    res.on('close', () => {
      if (waiting.delete(res) && !res.writableFinished) dropped++;
    });
  });
  return {
    ...stub,
    held: () => waiting.size,
    dropped: () => dropped,
    release(): void {
      for (const res of waiting)
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      waiting.clear();
    },
  };
}

export interface Upload {
  /** The status the gateway answered with, or undefined if the connection closed without one. */
  answer: Promise<number | undefined>;
  /** Sends `bytes` more of the body, a 64 KiB chunk at a time, while nobody has answered. */
  send(bytes: number): Promise<void>;
  destroy(): void;
}

/** A POST whose headers are sent at once and whose body comes only when `send` is called (if ever). */
export function upload(url: string, headers: Record<string, string>): Upload {
  const chunk = Buffer.alloc(64 * 1024, 120);
  let answered = false;
  const req = httpRequest(url, { method: 'POST', agent: false, headers });
  const answer = new Promise<number | undefined>((resolve) => {
    req.on('response', (res) => {
      answered = true;
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(undefined));
    req.on('close', () => resolve(undefined));
  });
  req.flushHeaders();
  const drained = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        req.off('drain', done).off('close', done);
        resolve();
      };
      req.on('drain', done).on('close', done);
    });
  return {
    answer,
    async send(bytes) {
      for (let sent = 0; sent < bytes && !answered && !req.destroyed; sent += chunk.length)
        if (!req.write(chunk)) await drained();
    },
    destroy: () => req.destroy(),
  };
}

/** How long `call` took, in ms, with its result. */
export async function timed<T>(call: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await call();
  return { ms: Math.round(performance.now() - start), result };
}

/** A request whose path goes out byte for byte (fetch would resolve `..` and `%2e%2e` first). */
export function rawRequest(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}/`, { method, path, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
