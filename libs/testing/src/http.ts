import type { INestApplication } from '@nestjs/common';

/** Listens on an ephemeral loopback port (for tests that need real sockets) and returns the base URL. */
export async function listenOnFreePort(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}
