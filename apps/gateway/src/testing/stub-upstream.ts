import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** The gateway's readiness probe of an upstream address. */
export const isReadinessProbe = (req: IncomingMessage) => req.method === 'GET' && req.url === '/health/ready';

/**
 * A stand-in upstream service: records what reaches it; `answer` decides the response. It answers
 * the gateway's readiness probes itself, as `health.ready` says (200, or 503 as a stopping app
 * does; no answer while `health.silent`), and counts them in `health.probes`, apart from `seen`.
 */
export function stubUpstream(
  answer: (req: SeenRequest, res: ServerResponse) => void = (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
) {
  const seen: SeenRequest[] = [];
  const health = { ready: true, silent: false, probes: 0 };
  const waiting: { probes: number; resolve: () => void }[] = [];
  const server: Server = createServer((req, res) => {
    if (isReadinessProbe(req)) {
      health.probes++;
      for (const w of waiting.filter((w) => health.probes >= w.probes)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
      if (!health.silent)
        res.writeHead(health.ready ? 200 : 503, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const request = { method: req.method!, url: req.url!, headers: req.headers, body };
      seen.push(request);
      answer(request, res);
    });
  });
  return {
    seen,
    health,
    server,
    /**
     * Resolves once the gateway has acted on a probe answered from now on: when the probe after it
     * arrives (the gateway probes an address again only after handling its previous answer).
     */
    probed: () => new Promise<void>((resolve) => waiting.push({ probes: health.probes + 2, resolve })),
    start: (port = 0, host = '127.0.0.1') =>
      new Promise<string>((resolve) =>
        server.listen(port, host, () => resolve(`http://${host}:${(server.address() as AddressInfo).port}`)),
      ),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
