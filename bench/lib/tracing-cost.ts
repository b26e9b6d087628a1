import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type Progress, rollingRestart } from './drill-faults';
import type { AppInstance, AppSet } from './full-stack';
import { type Figure, meanFigure } from './measure';
import { startSpanSink } from './span-sink';
import type { Teardown } from './teardown';

/** Tracing on as production runs it (one new trace in ten), and for every request. */
type TracedSetting = 'sampled' | 'every';

const SAMPLER_ARG: Record<TracedSetting, string> = { sampled: '0.1', every: '1' };

/** Pairs of runs per setting, in turns (untraced first, then traced first…): each order as often. */
const PAIRS = 4;
/** Load, not measured, before every run. */
const REWARM_SECONDS = 4;

export interface TracingFigure extends Figure {
  /** CPU time of the set's app processes (gateway, services, relay) per successful operation. */
  cpuMsPerOp: number;
  /** Spans the apps exported during the measurements, per successful operation. */
  exportedKbPerOp: number;
}

export interface TracedFigure extends TracingFigure {
  /** Throughput ÷ the untraced set's over the same pairs of runs, and the lowest and highest pair. */
  onOff: number;
  onOffRange: [number, number];
}

/** Kernel clock ticks per second, the unit of /proc/<pid>/stat's CPU times. */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/** User + system CPU milliseconds the processes have used so far (Linux: /proc). */
function cpuMs(instances: AppInstance[]): number {
  let ticks = 0;
  for (const instance of instances) {
    // The fields after the command name (which may hold spaces) start with the state; utime, stime are 14th and 15th of the line.
    const fields = readFileSync(`/proc/${instance.child().pid}/stat`, 'utf8').split(') ')[1].split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/**
 * Tracing's cost on the whole stack, measured in pairs: beside the stack's own apps (tracing off),
 * a second set of apps on the same stores exports spans to a sink standing in for the collector
 * sidecar, one trace in ten and then every span. Per setting both sets start fresh and are warmed
 * alike, then serve the same load (`measure`) in turn, a few times each, the outbox drained
 * (`settle`) around every run. This shared machine's speed drifts by a quarter between minutes, more
 * than tracing costs; runs seconds apart meet the same drift, so their ratio is tracing's.
 */
export async function measureTracingCost(opts: {
  untraced: AppSet;
  /** A second app set on the same stores (users, ledger, chats), started with `env`. */
  startTraced: (env: NodeJS.ProcessEnv) => Promise<AppSet>;
  measure: (gatewayUrl: string, seconds: number) => Promise<Figure>;
  settle: () => Promise<unknown>;
  teardown: Teardown;
  progress: Progress;
  seconds: number;
}): Promise<{ off: TracingFigure } & Record<TracedSetting, TracedFigure>> {
  const sink = await startSpanSink();
  opts.teardown.add('span sink', sink.close);
  const { untraced } = opts;
  const run = async (set: AppSet, label: string): Promise<TracingFigure> => {
    // A set that sat idle while the other ran serves its first seconds slower (the traced one more
    // so), whichever order a pair runs in: each run starts warm.
    await opts.measure(set.gatewayUrl, REWARM_SECONDS);
    await opts.settle();
    const [cpu0, bytes0] = [cpuMs(set.instances), sink.received.bytes];
    const figure = await opts.measure(set.gatewayUrl, opts.seconds);
    await opts.settle();
    const ops = Math.max(1, figure.perSecond * opts.seconds);
    const result = {
      ...figure,
      cpuMsPerOp: (cpuMs(set.instances) - cpu0) / ops,
      exportedKbPerOp: (sink.received.bytes - bytes0) / 1000 / ops,
    };
    opts.progress(
      `  tracing ${label}: ${figure.perSecond.toFixed(0)}/s, p99 ${figure.p99.toFixed(1)} ms, ` +
        `${result.cpuMsPerOp.toFixed(2)} CPU ms per transfer` +
        // An untraced run sees the traced set's last batches arrive: no figure of its own.
        (set === untraced ? '' : `, ${result.exportedKbPerOp.toFixed(1)} kB of spans`),
    );
    return result;
  };

  const offRuns: TracingFigure[] = [];
  const traced = {} as Record<TracedSetting, TracedFigure>;
  for (const setting of ['sampled', 'every'] as const) {
    const set = await opts.startTraced({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: sink.url,
      OTEL_TRACES_SAMPLER_ARG: SAMPLER_ARG[setting],
    });
    // Fresh processes on both sides: one that served for minutes spends far less CPU per request
    // than one a few seconds old (JIT, caches), which would flatter whichever set is older.
    await rollingRestart(untraced.instances, () => undefined);
    for (const side of [untraced, set]) await opts.measure(side.gatewayUrl, 2 * opts.seconds);
    await opts.settle();
    const offs: TracingFigure[] = [];
    const ons: TracingFigure[] = [];
    for (let pair = 0; pair < PAIRS; pair++) {
      const order = pair % 2 ? [set, untraced] : [untraced, set];
      for (const side of order)
        if (side === set) ons.push(await run(set, setting));
        else offs.push(await run(untraced, 'off'));
    }
    await Promise.all(set.instances.map((instance) => instance.stop()));
    const ratios = ons.map((on, i) => on.perSecond / offs[i].perSecond);
    const on = meanTracing(ons);
    traced[setting] = {
      ...on,
      onOff: on.perSecond / meanFigure(offs).perSecond,
      onOffRange: [Math.min(...ratios), Math.max(...ratios)],
    };
    offRuns.push(...offs);
  }
  return { off: meanTracing(offRuns), ...traced };
}

function meanTracing(runs: TracingFigure[]): TracingFigure {
  const mean = (key: 'cpuMsPerOp' | 'exportedKbPerOp') =>
    runs.reduce((sum, r) => sum + r[key], 0) / runs.length;
  return { ...meanFigure(runs), cpuMsPerOp: mean('cpuMsPerOp'), exportedKbPerOp: mean('exportedKbPerOp') };
}
