import { type IncomingMessage, request } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@paychat/config';
import { Metrics } from '@paychat/telemetry';
import { listenOnFreePort } from '@paychat/testing';
import { buildGateway } from '../build-gateway';
import { GatewayEnv } from '../gateway.env';
import { isReadinessProbe, stubUpstream } from './stub-upstream';

/**
 * Tests' gateways, in front of one stand-in upstream for every service (answering as `answer`
 * says); `requests` counts what reached it (on its headers, so a refused upload shows too;
 * readiness probes aside). Call `stop` after all.
 */
export function gatewaysUnderTest(answer?: Parameters<typeof stubUpstream>[0]) {
  const upstream = stubUpstream(answer);
  const upstreamUrl = upstream.start();
  let requests = 0;
  upstream.server.on('request', (req: IncomingMessage) => {
    if (!isReadinessProbe(req)) requests++;
  });
  const apps: NestFastifyApplication[] = [];
  const listening = new Map<string, NestFastifyApplication>();
  return {
    upstream,
    requests: () => requests,
    /** A listening gateway; TRUST_PROXY_HOPS 1 unless `env` says otherwise (as behind the ALB). */
    async start(env: Record<string, string> = {}): Promise<string> {
      const upstreamAt = await upstreamUrl;
      const app = await buildGateway(
        loadConfig(GatewayEnv, {
          ...process.env,
          WALLET_URL: upstreamAt,
          MESSAGES_URL: upstreamAt,
          LEGACY_URL: upstreamAt,
          TRUST_PROXY_HOPS: '1',
          ...env,
        }),
      );
      apps.push(app);
      const url = await listenOnFreePort(app);
      listening.set(url, app);
      return url;
    },
    /** The metrics of the gateway listening at `url`. */
    metrics: (url: string): Metrics => listening.get(url)!.get(Metrics),
    async stop(): Promise<void> {
      await Promise.all(apps.map((a) => a.close()));
      await upstream.stop();
    },
  };
}

/** A request with its path sent byte for byte (fetch would resolve dot segments first). */
export function rawGet(
  baseUrl: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}/`, { path, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : {} }));
    });
    req.on('error', reject);
    req.end();
  });
}
