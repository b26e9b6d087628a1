import { Dispatcher } from 'undici';
import { UPSTREAMS, type UpstreamName } from '../routing/route-table';
import type { ServiceRegistry } from './service-registry';

/** The origin the proxy addresses a service by: `http://wallet`, resolved by the registry. */
export const serviceOrigin = (name: UpstreamName) => `http://${name}`;

/**
 * One dispatcher for the proxy plugin: a request for `http://<service>` goes to that service's
 * balanced pool, so discovery (which addresses, which are failing) stays in the registry.
 */
export class RoutingDispatcher extends Dispatcher {
  constructor(private readonly registry: ServiceRegistry) {
    super();
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const name = new URL(String(options.origin)).hostname as UpstreamName;
    if (!UPSTREAMS.includes(name)) throw new Error(`unknown upstream ${name}`);
    const { origin: _origin, ...rest } = options;
    return this.registry.dispatcher(name).dispatch(rest as Dispatcher.DispatchOptions, handler);
  }

  override close(): Promise<void> {
    return this.registry.close();
  }

  override destroy(): Promise<void> {
    return this.registry.close();
  }
}
