import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { httpOk } from '../../scripts/local/processes';

const PROBE_MS = 250;

/**
 * A stand-in for Cloud Map's DNS between services (wallet → messages, messages → wallet) when a
 * service runs several instances: each new TCP connection goes to the next instance whose
 * `/health/ready` answered 200 at the last probe (ECS deregisters a stopping task), to any when none
 * did, and to the next one when a connect fails. Only for the drill: production resolves names.
 */
export async function startInternalBalancer(
  origins: string[],
): Promise<{ url: string; close: () => Promise<void> }> {
  const ready = new Set(origins);
  let next = 0;
  let probing = true;
  const probe = async () => {
    while (probing) {
      await Promise.all(
        origins.map(async (origin) =>
          (await httpOk(`${origin}/health/ready`)) ? ready.add(origin) : ready.delete(origin),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, PROBE_MS));
    }
  };
  const probes = probe();

  const open = new Set<Socket>();
  const server = createServer((client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.pause();
    const order = [...origins.filter((o) => ready.has(o)), ...origins.filter((o) => !ready.has(o))];
    const start = next++ % Math.max(1, ready.size);
    const candidates = [...order.slice(start), ...order.slice(0, start)];
    const attempt = (i: number) => {
      if (i >= candidates.length || client.destroyed) return void client.destroy();
      const { hostname, port } = new URL(candidates[i]);
      const upstream = connect({ host: hostname, port: Number(port) });
      upstream.once('error', () => attempt(i + 1)); // before 'connect': nothing was sent
      upstream.once('connect', () => {
        upstream.removeAllListeners('error');
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        upstream.once('close', () => client.destroy());
        client.once('close', () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.resume();
      });
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      probing = false;
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
      await probes;
    },
  };
}
