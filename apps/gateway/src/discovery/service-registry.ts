import { promises as dns } from 'node:dns';
import { Logger } from '@nestjs/common';
import type { Dispatcher } from 'undici';
import type { DependencyState } from '@paychat/platform';
import type { GatewayEnv } from '../gateway.env';
import { UPSTREAMS, type UpstreamName } from '../routing/route-table';
import { ReadinessProbe } from './readiness-probe';
import { type Lane, type Target, Upstream } from './upstream';

export type { Lane, Target };

/** The part of `dns.promises` discovery needs (tests pass a fake). */
export interface Resolver {
  resolve4(hostname: string, options: { ttl: true }): Promise<{ address: string; ttl: number }[]>;
}

const MIN_TTL_S = 1;
const MAX_TTL_S = 60;
const RETRY_RESOLVE_MS = 5_000;

/**
 * Where each upstream service is. Locally: static URLs from env (`WALLET_URL`…, a comma-separated
 * list for several instances). In production: Cloud Map DNS (`<service>.<DISCOVERY_NAMESPACE>`, A
 * records), re-resolved when the answer's TTL runs out, keeping the last good set if DNS fails.
 * Either way, each address is routed to only while its readiness probe passes (see Upstream).
 */
export class ServiceRegistry {
  private readonly logger = new Logger(ServiceRegistry.name);
  private readonly upstreams = new Map<UpstreamName, Upstream>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly probe: ReadinessProbe;
  private closed = false;

  constructor(
    private readonly config: GatewayEnv,
    private readonly resolver: Resolver = dns,
  ) {
    this.probe = new ReadinessProbe(config.UPSTREAM_PROBE_TIMEOUT_MS);
    const options = {
      longPollConnections: config.LONG_POLL_MAX_IN_FLIGHT,
      probeIntervalMs: config.UPSTREAM_PROBE_INTERVAL_MS,
    };
    for (const name of UPSTREAMS)
      this.upstreams.set(name, new Upstream(name, this.logger, this.probe, options));
  }

  /** Static origins at once; DNS names resolved before the gateway listens (and kept fresh). */
  async start(): Promise<void> {
    if (this.config.DISCOVERY === 'static') {
      for (const [name, upstream] of this.upstreams) upstream.setOrigins(staticOrigins(this.config, name));
    } else {
      await Promise.all([...this.upstreams.values()].map((u) => this.refresh(u)));
    }
    for (const upstream of this.upstreams.values()) upstream.startProbing();
  }

  /** Where an attempt goes: a ready address not in `tried` (see Upstream.pick). */
  pick(name: UpstreamName, lane: Lane, tried: readonly string[]): Target {
    return this.upstreams.get(name)!.pick(lane, tried);
  }

  /** A ready address's pool, for a one-off request (no retries). */
  dispatcher(name: UpstreamName, lane: Lane = 'default'): Dispatcher {
    return this.pick(name, lane, []).dispatcher;
  }

  origins(name: UpstreamName): string[] {
    return this.upstreams.get(name)!.origins;
  }

  /** For readiness: up while an address of the service is ready, else why none is. */
  state(name: UpstreamName): DependencyState {
    return this.upstreams.get(name)!.state;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    await Promise.all([...this.upstreams.values()].map((u) => u.close()));
    await this.probe.close();
  }

  private async refresh(upstream: Upstream): Promise<void> {
    const host = `${upstream.name}.${this.config.DISCOVERY_NAMESPACE}`;
    let nextInMs = RETRY_RESOLVE_MS;
    try {
      const records = await this.resolver.resolve4(host, { ttl: true });
      if (records.length > 0) {
        upstream.setOrigins(records.map((r) => `http://${r.address}:${this.config.DISCOVERY_PORT}`));
        const ttl = Math.min(...records.map((r) => r.ttl));
        nextInMs = Math.min(MAX_TTL_S, Math.max(MIN_TTL_S, ttl)) * 1000;
      }
    } catch (err) {
      this.logger.warn(
        { host, err: (err as Error).message },
        'service discovery failed; keeping the last addresses',
      );
    }
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.refresh(upstream);
    }, nextInMs);
    timer.unref();
    this.timers.add(timer);
  }
}

function staticOrigins(config: GatewayEnv, name: UpstreamName): string[] {
  const list = { wallet: config.WALLET_URL, messages: config.MESSAGES_URL, legacy: config.LEGACY_URL }[name];
  return list.split(',').map((u) => new URL(u.trim()).origin);
}
