import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TokenVerifier } from '@paychat/auth';
import { createApp, installAccessLog, Readiness } from '@paychat/platform';
import { Metrics } from '@paychat/telemetry';
import { type Resolver, ServiceRegistry } from './discovery/service-registry';
import { registerConsole } from './console/console.routes';
import { registerApiDocs } from './docs/api-docs';
import { registerEdgeGuard } from './edge/edge-guard';
import { GatewayEnv } from './gateway.env';
import { GatewayModule } from './gateway.module';
import { registerProxy } from './proxy/proxy.plugin';
import { observeUpstreamReadiness } from './proxy/upstream-metrics';
import { loadRouteTable, UPSTREAMS } from './routing/route-table';

/**
 * The gateway app, not yet listening: the route table (validated first: a bad one stops the boot
 * naming the entry), the edge guard (tokens, admin group, rate limits), the gateway's own routes
 * (auth, docs) and the proxy to the services found by discovery.
 */
export async function buildGateway(
  config: GatewayEnv,
  deps: { resolver?: Resolver } = {},
): Promise<NestFastifyApplication> {
  const routes = loadRouteTable(config.GATEWAY_ROUTES_FILE, config.GATEWAY_ROUTES);
  const app = await createApp(GatewayModule.forRoot(config), config);
  const fastify = app.getHttpAdapter().getInstance();
  installAccessLog(fastify);
  const registry = new ServiceRegistry(config, deps.resolver);
  await registry.start();
  fastify.addHook('onClose', () => registry.close());
  const metrics = app.get(Metrics);
  observeUpstreamReadiness(metrics, registry);
  const readiness = app.get(Readiness);
  // No address known is this instance's own discovery failing: not ready, others may do better.
  readiness.register('upstreams', async () => {
    const missing = UPSTREAMS.filter((u) => registry.origins(u).length === 0);
    if (missing.length) throw new Error(`no instances of ${missing.join(', ')}`);
  });
  // No ready address is the service's outage, the same for every gateway: shown, not failing, so the
  // routes of the other services stay served (and this one's are still tried).
  for (const u of UPSTREAMS) readiness.registerDegradable(u, () => registry.state(u));
  const closeEdge = await registerEdgeGuard(fastify, config, app.get(TokenVerifier), readiness, metrics);
  fastify.addHook('onClose', closeEdge);
  await registerProxy(app, config, registry, routes);
  registerApiDocs(app, config);
  registerConsole(app);
  return app;
}
