import type { Histogram } from 'prom-client';
import type { Dispatcher } from 'undici';
import type { Metrics } from '@paychat/telemetry';
import type { ServiceRegistry } from '../discovery/service-registry';
import { UPSTREAMS, type UpstreamName } from '../routing/route-table';

/**
 * Every call the gateway makes to an upstream, timed until the answer's headers (a long-poll's wait
 * included) or the failure: the rate, errors and duration per upstream. A call the client abandoned
 * is not the upstream's doing and is left out.
 */
export class UpstreamCalls {
  private readonly duration: Histogram<'upstream' | 'status_code'>;

  constructor(metrics: Metrics) {
    this.duration = metrics.histogram({
      name: 'gateway_upstream_request_duration_seconds',
      help: 'Time an upstream took to answer one attempt, by upstream and status (error: no answer)',
      labelNames: ['upstream', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    });
  }

  async request(
    upstream: UpstreamName,
    dispatcher: Dispatcher,
    options: Dispatcher.RequestOptions & { signal?: AbortSignal },
  ): Promise<Dispatcher.ResponseData> {
    const done = this.duration.startTimer({ upstream });
    try {
      const answer = await dispatcher.request(options);
      done({ status_code: String(answer.statusCode) });
      return answer;
    } catch (err) {
      if (!options.signal?.aborted) done({ status_code: 'error' });
      throw err;
    }
  }
}

/** `gateway_upstream_ready{upstream}`: 1 while discovery knows a ready address of it, read at each scrape. */
export function observeUpstreamReadiness(metrics: Metrics, registry: ServiceRegistry): void {
  metrics.gauge({
    name: 'gateway_upstream_ready',
    help: 'Whether the gateway knows a ready address of the upstream (1) or not (0)',
    labelNames: ['upstream'],
    collect() {
      for (const upstream of UPSTREAMS) this.set({ upstream }, registry.state(upstream).up ? 1 : 0);
    },
  });
}
