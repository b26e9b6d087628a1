import { promises as dns } from 'node:dns';
import { Logger } from '@nestjs/common';
import { BalancedPool, Dispatcher } from 'undici';
import type { GatewayEnv } from '../gateway.env';
import { UPSTREAMS, type UpstreamName } from '../routing/route-table';

/** The part of `dns.promises` discovery needs (tests pass a fake). */
export interface Resolver {
  resolve4(hostname: string, options: { ttl: true }): Promise<{ address: string; ttl: number }[]>;
}

/** How long an address that refused a connection is left out before it is tried again. */
export const SKIP_FAILING_MS = 10_000;
const MIN_TTL_S = 1;
const MAX_TTL_S = 60;
const RETRY_RESOLVE_MS = 5_000;

/** Long-polls wait on their own pool, so however many are open, other requests find a connection. */
export type Lane = 'default' | 'long-poll';

const POOL_OPTIONS = {
  connections: 128,
  pipelining: 1,
  // Upstreams keep connections open 65 s; we let ours go first, so no request meets a closing socket.
  keepAliveTimeout: 60_000,
  keepAliveMaxTimeout: 60_000,
};

/**
 * The instances of one service behind undici BalancedPools, one per lane (keep-alive pools per
 * address, requests spread over all of them). Discovery sets the addresses; an address that refuses
 * a connection is skipped for SKIP_FAILING_MS (never the last one).
 */
class Upstream {
  readonly pools: Record<Lane, BalancedPool>;
  private known = new Set<string>();
  private readonly skipped = new Map<string, NodeJS.Timeout>();

  constructor(
    readonly name: UpstreamName,
    private readonly logger: Logger,
    longPollConnections: number,
  ) {
    this.pools = {
      default: new BalancedPool([], POOL_OPTIONS),
      'long-poll': new BalancedPool([], { ...POOL_OPTIONS, connections: longPollConnections }),
    };
    for (const pool of this.all()) pool.on('connectionError', (origin: URL) => this.skip(origin.origin));
  }

  setOrigins(origins: string[]): void {
    const next = new Set(origins);
    for (const origin of next) if (!this.known.has(origin) && !this.skipped.has(origin)) this.add(origin);
    for (const origin of this.known) if (!next.has(origin)) this.remove(origin);
    this.known = next;
  }

  get origins(): string[] {
    return [...this.known];
  }

  private skip(origin: string): void {
    if (this.skipped.has(origin) || this.pools.default.upstreams.length <= 1) return;
    this.logger.warn(
      { upstream: this.name, origin },
      'address refused a connection; skipping it for a while',
    );
    this.remove(origin);
    const timer = setTimeout(() => {
      this.skipped.delete(origin);
      if (this.known.has(origin)) this.add(origin);
    }, SKIP_FAILING_MS);
    timer.unref();
    this.skipped.set(origin, timer);
  }

  private all(): BalancedPool[] {
    return Object.values(this.pools);
  }

  private add(origin: string): void {
    for (const pool of this.all()) pool.addUpstream(origin);
  }

  private remove(origin: string): void {
    for (const pool of this.all()) pool.removeUpstream(origin);
  }

  async close(): Promise<void> {
    for (const timer of this.skipped.values()) clearTimeout(timer);
    await Promise.all(this.all().map((pool) => pool.close()));
  }
}

/**
 * Where each upstream service is. Locally: static URLs from env (`WALLET_URL`…, a comma-separated
 * list for several instances). In production: Cloud Map DNS (`<service>.<DISCOVERY_NAMESPACE>`, A
 * records), re-resolved when the answer's TTL runs out, keeping the last good set if DNS fails.
 */
export class ServiceRegistry {
  private readonly logger = new Logger(ServiceRegistry.name);
  private readonly upstreams = new Map<UpstreamName, Upstream>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly config: GatewayEnv,
    private readonly resolver: Resolver = dns,
  ) {
    for (const name of UPSTREAMS)
      this.upstreams.set(name, new Upstream(name, this.logger, config.LONG_POLL_MAX_IN_FLIGHT));
  }

  /** Static origins at once; DNS names resolved before the gateway listens (and kept fresh). */
  async start(): Promise<void> {
    if (this.config.DISCOVERY === 'static') {
      for (const [name, upstream] of this.upstreams) upstream.setOrigins(staticOrigins(this.config, name));
      return;
    }
    await Promise.all([...this.upstreams.values()].map((u) => this.refresh(u)));
  }

  dispatcher(name: UpstreamName, lane: Lane = 'default'): Dispatcher {
    return this.upstreams.get(name)!.pools[lane];
  }

  origins(name: UpstreamName): string[] {
    return this.upstreams.get(name)!.origins;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    await Promise.all([...this.upstreams.values()].map((u) => u.close()));
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
