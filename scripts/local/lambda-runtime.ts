import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type LambdaHandler = (event: never) => Promise<unknown>;

export interface LocalLambdas {
  endpoint: string;
  stop(): Promise<void>;
}

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/**
 * The Lambda Invoke API (the part cognito-local calls for its triggers), running our handlers
 * in-process: an answer is the handler's result; a throw is a function error, as AWS reports it.
 */
export function startLocalLambdas(functions: Record<string, LambdaHandler>, port = 0): Promise<LocalLambdas> {
  const server: Server = createServer((req, res) => {
    const name = decodeURIComponent(INVOKE.exec(req.url ?? '')?.[1] ?? '');
    const handler = functions[name];
    if (req.method !== 'POST' || !handler) return void res.writeHead(404).end();
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      handler(JSON.parse(body || '{}') as never).then(
        (result) =>
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result ?? null)),
        (err: Error) =>
          res
            .writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' })
            .end(JSON.stringify({ errorMessage: err.message, errorType: err.name })),
      );
    });
  });
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () =>
      resolve({
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        stop: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}

/**
 * Real Cognito gives a migrated user a new `sub`; cognito-local only stores the attributes the
 * trigger returns, so locally the stand-in adds one (the handler itself never sends `sub`).
 */
export function withCognitoSub(handler: LambdaHandler): LambdaHandler {
  return async (event) => {
    const result = (await handler(event)) as { response?: { userAttributes?: Record<string, string> } };
    if (result?.response?.userAttributes) result.response.userAttributes.sub = randomUUID();
    return result;
  };
}
