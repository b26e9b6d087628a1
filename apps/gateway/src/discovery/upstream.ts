import type { Logger } from '@nestjs/common';
import { type Dispatcher, Pool } from 'undici';
import { failureReason } from '@paychat/errors';
import type { DependencyState } from '@paychat/platform';
import type { UpstreamName } from '../routing/route-table';
import type { ProbeResult, ReadinessProbe } from './readiness-probe';

/** Long-polls wait on their own pool, so however many are open, other requests find a connection. */
export type Lane = 'default' | 'long-poll';

const POOL_OPTIONS = {
  connections: 128,
  pipelining: 1,
  // Upstreams keep connections open 65 s; we let ours go first, so no request meets a closing socket.
  keepAliveTimeout: 60_000,
  keepAliveMaxTimeout: 60_000,
};

/** Where one attempt goes. `again`: every candidate was tried already, so this one is a repeat. */
export interface Target {
  origin: string;
  dispatcher: Dispatcher;
  again: boolean;
}

/** One address: its keep-alive pools, and whether it is ready (unknown until its first probe), else why not. */
interface Instance {
  pools: Record<Lane, Pool>;
  ready?: boolean;
  why?: string;
}

/**
 * The instances of one service. Each address's `/health/ready` is probed in the background and
 * requests go only to ready addresses (round robin), so an instance failing readiness at SIGTERM is
 * drained while it still serves, and one that is ready again is back at its next probe. A refused
 * connection takes an address out at once, until a probe finds it ready. When no address is ready,
 * all are tried: an unready instance may still serve, and an empty choice surely fails.
 */
export class Upstream {
  private readonly instances = new Map<string, Instance>();
  private turn = 0;
  private noneReady = false;
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    readonly name: UpstreamName,
    private readonly logger: Logger,
    private readonly probe: ReadinessProbe,
    private readonly options: { longPollConnections: number; probeIntervalMs: number },
  ) {}

  /** New addresses are probed at once; removed ones finish their requests in flight. */
  setOrigins(origins: string[]): void {
    const next = new Set(origins);
    for (const origin of next) if (!this.instances.has(origin)) this.add(origin);
    for (const [origin, instance] of this.instances)
      if (!next.has(origin)) {
        this.instances.delete(origin);
        void closePools(instance);
      }
  }

  get origins(): string[] {
    return [...this.instances.keys()];
  }

  get readyOrigins(): string[] {
    return this.origins.filter((origin) => this.instances.get(origin)!.ready);
  }

  /** Up while an address is ready; else why none is (each address's last verdict, no address itself). */
  get state(): DependencyState {
    if (this.readyOrigins.length) return { up: true };
    if (!this.instances.size) return { up: false, reason: 'no address known' };
    const whys = new Set([...this.instances.values()].map((i) => i.why ?? 'not probed yet'));
    return { up: false, reason: `no ready address: ${[...whys].join(', ')}` };
  }

  /** The next ready address not in `tried`, or, when every candidate was tried, one of them again. */
  pick(lane: Lane, tried: readonly string[] = []): Target {
    const ready = this.readyOrigins;
    const candidates = ready.length ? ready : this.origins;
    if (!candidates.length) throw new Error(`no address known for ${this.name}`);
    const untried = candidates.filter((origin) => !tried.includes(origin));
    const from = untried.length ? untried : candidates;
    const origin = from[this.turn++ % from.length];
    return { origin, dispatcher: this.instances.get(origin)!.pools[lane], again: !untried.length };
  }

  /** Probes every address again after each interval, until closed (a new address is probed at once). */
  startProbing(): void {
    if (this.closed) return;
    this.timer = setTimeout(async () => {
      await Promise.all(this.origins.map((origin) => this.probeOne(origin)));
      this.startProbing();
    }, this.options.probeIntervalMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await Promise.all([...this.instances.values()].map(closePools));
  }

  private async probeOne(origin: string): Promise<void> {
    this.mark(origin, await this.probe.check(origin));
  }

  private add(origin: string): void {
    const pools: Record<Lane, Pool> = {
      default: new Pool(origin, POOL_OPTIONS),
      'long-poll': new Pool(origin, { ...POOL_OPTIONS, connections: this.options.longPollConnections }),
    };
    for (const pool of Object.values(pools))
      pool.on('connectionError', (_origin, _targets, err: Error) => this.mark(origin, failureReason(err)));
    this.instances.set(origin, { pools });
    if (!this.closed) void this.probeOne(origin);
  }

  /** Records a probe's or a connection's verdict, logging each change of an address once. */
  private mark(origin: string, notReady: ProbeResult): void {
    const instance = this.instances.get(origin);
    const ready = notReady === undefined;
    if (!instance) return;
    instance.why = notReady;
    if (instance.ready === ready) return;
    instance.ready = ready;
    const where = { upstream: this.name, origin };
    if (ready) this.logger.log(where, 'upstream address ready');
    else
      this.logger.warn(
        { ...where, why: notReady },
        'upstream address not ready; left out while another one is ready',
      );
    const noneReady = [...this.instances.values()].every((i) => i.ready === false);
    if (noneReady && !this.noneReady)
      this.logger.error({ upstream: this.name }, 'no upstream address is ready; trying them all');
    this.noneReady = noneReady;
  }
}

function closePools(instance: Instance): Promise<unknown> {
  return Promise.all(Object.values(instance.pools).map((pool) => pool.close()));
}
