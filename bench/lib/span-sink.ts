import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Where the apps export spans while the bench measures tracing's cost: it drains each OTLP request
 * and answers 200, as a collector sidecar would, without parsing (the load generator shares the
 * cores). Counts what arrived, so the figure can say spans really left the apps.
 */
export async function startSpanSink() {
  const received = { requests: 0, bytes: 0 };
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (received.bytes += chunk.length));
    req.on('end', () => {
      received.requests += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
