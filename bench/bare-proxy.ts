/**
 * The floor any Node proxy pays on this machine: a dozen lines of undici forwarding every request
 * to one upstream over a keep-alive pool, no checks at all. Run by bench/gateway.ts as its own process.
 */
import { createServer } from 'node:http';
import { Pool } from 'undici';

const [port, upstream] = [Number(process.argv[2]), process.argv[3]];
const pool = new Pool(upstream, { connections: 128, pipelining: 1 });
createServer((req, res) => {
  const headers = { ...req.headers };
  delete headers.connection;
  delete headers.host;
  pool
    .request({ method: req.method as 'GET', path: req.url!, headers, body: req })
    .then((answer) => {
      res.writeHead(answer.statusCode, answer.headers as Record<string, string>);
      answer.body.pipe(res);
    })
    .catch(() => res.writeHead(502).end());
}).listen(port, '127.0.0.1');
