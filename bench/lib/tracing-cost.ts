import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type Progress, rollingRestart } from './drill-faults';
import type { AppInstance, AppSet } from './full-stack';
import { type Figure, meanFigure } from './measure';
import { startSpanSink } from './span-sink';
import type { Teardown } from './teardown';

/**
 * What runs beside the untraced set: a second untraced set (the control: what this method reads
 * when there is nothing to find), then tracing as production runs it (one new trace in ten), then
 * every span.
 */
export const TRACING_SETTINGS = ['control', 'sampled', 'every'] as const;
export type TracingSetting = (typeof TRACING_SETTINGS)[number];

const TRACED_ENV: Record<TracingSetting, (sinkUrl: string) => NodeJS.ProcessEnv> = {
  control: () => ({}),
  sampled: (url) => ({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url, OTEL_TRACES_SAMPLER_ARG: '0.1' }),
  every: (url) => ({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url, OTEL_TRACES_SAMPLER_ARG: '1' }),
};

/** Measured runs per setting, the outbox drained between them. */
const RUNS = 3;

/**
 * The measured runs offer each set this share of what the slower set served flat out in the
 * warm-up, so both serve the same transfers and keep up. Flat out, a set's rate feeds back on its
 * CPU per transfer (fixed background work spread over fewer transfers, smaller batches): the
 * slower set looks costlier still, and two identical sets differ by a fifth.
 */
const MEASURED_LOAD = 0.8;

export interface SideFigure extends Figure {
  /** CPU time of the set's app processes (gateway, services, relay) per successful operation. */
  cpuMsPerOp: number;
  /** The same, per app. */
  cpuMsPerOpByApp: Record<string, number>;
}

export interface TracingFigure {
  /** Transfers per second offered to each set in the measured runs. */
  offered: number;
  /** The stack's own set (tracing off) and the second set, serving side by side. */
  off: SideFigure;
  on: SideFigure;
  /** CPU per operation of everything else (stores, load generator, kernel): the same work for both. */
  sharedCpuMsPerOp: number;
  /**
   * Throughput with this setting ÷ without, on a machine that is CPU-bound: (shared + off) ÷
   * (shared + on) CPU per operation.
   */
  onOff: number;
  /** Spans the second set exported per successful operation. */
  exportedKbPerOp: number;
}

/** Kernel clock ticks per second, the unit of /proc's CPU times. */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
const ticksToMs = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;

/** User + system CPU milliseconds a process has used so far (Linux: /proc). */
function cpuMs(instance: AppInstance): number {
  // The fields after the command name (which may hold spaces) start with the state; utime, stime are 14th and 15th of the line.
  const fields = readFileSync(`/proc/${instance.child().pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ticksToMs(Number(fields[11]) + Number(fields[12]));
}

/** CPU milliseconds the whole machine has spent busy so far (all cores; not idle, iowait or steal). */
function machineBusyMs(): number {
  const [user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return ticksToMs(user + nice + system + irq + softirq);
}

/** The figures of one setting in a line: each side's apps, everything else, the ratio, the spans. */
export function describeTracing(setting: TracingSetting, f: TracingFigure, byApp = false): string {
  const apps = (side: SideFigure) =>
    side.cpuMsPerOp.toFixed(2) +
    (byApp
      ? ` (${Object.entries(side.cpuMsPerOpByApp)
          .map(([app, ms]) => `${app} ${ms.toFixed(2)}`)
          .join(', ')})`
      : '');
  return (
    `at ${f.offered}/s each: apps ${apps(f.off)} → ${apps(f.on)} CPU ms/transfer (${(f.on.cpuMsPerOp / f.off.cpuMsPerOp).toFixed(2)}×), ` +
    `everything else ${f.sharedCpuMsPerOp.toFixed(2)}; throughput on/off ${f.onOff.toFixed(3)}` +
    (setting === 'control' ? '' : `; ${f.exportedKbPerOp.toFixed(1)} kB of spans/transfer`)
  );
}

/**
 * Tracing's cost on the whole stack. Beside the stack's own apps (tracing off), a second set of the
 * apps on a copy of its stores (same servers, no shared rows) exports spans to a sink standing in
 * for the collector sidecar. Both sets serve transfers at the same time, half the clients each, so
 * they meet the same moment of this shared machine (whose speed drifts by a quarter between
 * minutes, more than tracing costs): flat out to warm up, then each at the same offered rate
 * (MEASURED_LOAD). What is compared is CPU per transfer at that same load: the machine's
 * throughput, once CPU-bound, is the inverse of the CPU a transfer takes in all (the apps, plus the
 * stores, load generator and kernel, which do the same work for either set). A second untraced set
 * first shows what the method reads when there is nothing to find.
 */
export async function measureTracingCost(opts: {
  untraced: AppSet;
  /** A second app set on a copy of the stores (same users, ledger and chats), started with `env`. */
  startSecond: (env: NodeJS.ProcessEnv) => Promise<AppSet>;
  /** Transfers through a gateway for `seconds`: as fast as they are answered, or at `rate` per second. */
  measure: (gatewayUrl: string, seconds: number, connections: number, rate?: number) => Promise<Figure>;
  connections: number;
  settle: () => Promise<unknown>;
  teardown: Teardown;
  progress: Progress;
  seconds: number;
}): Promise<Record<TracingSetting, TracingFigure>> {
  const sink = await startSpanSink();
  opts.teardown.add('span sink', sink.close);
  const { untraced } = opts;
  const half = Math.max(1, Math.floor(opts.connections / 2));
  const results = {} as Record<TracingSetting, TracingFigure>;
  // Successful operations of a side over the measured runs.
  const opsOf = (figure: Figure) => Math.max(1, figure.perSecond * opts.seconds * RUNS);
  for (const setting of TRACING_SETTINGS) {
    const second = await opts.startSecond(TRACED_ENV[setting](sink.url));
    // Fresh processes on both sides: one that served for minutes spends far less CPU per request
    // than one a few seconds old (JIT, caches), which would flatter whichever set is older.
    await rollingRestart(untraced.instances, () => undefined);
    const sides = [untraced, second];
    const sideBySide = (seconds: number, rate?: number) =>
      Promise.all(sides.map((set) => opts.measure(set.gatewayUrl, seconds, half, rate)));
    const flatOut = await sideBySide(2 * opts.seconds);
    const offered = Math.max(1, Math.floor(MEASURED_LOAD * Math.min(...flatOut.map((f) => f.perSecond))));
    opts.progress(
      `  ${setting}, warm-up flat out: off ${flatOut[0].perSecond.toFixed(0)}/s, ` +
        `second ${flatOut[1].perSecond.toFixed(0)}/s; measuring at ${offered}/s each`,
    );
    await opts.settle();

    const runs: Figure[][] = [[], []];
    const cpu = sides.map((set) => set.instances.map(() => 0));
    let [machineMs, bytes] = [0, 0];
    for (let i = 0; i < RUNS; i++) {
      const cpu0 = sides.map((set) => set.instances.map(cpuMs));
      const [machine0, bytes0] = [machineBusyMs(), sink.received.bytes];
      const figures = await sideBySide(opts.seconds, offered);
      await opts.settle(); // the relay's deliveries belong to the transfers that wrote them
      sides.forEach((set, s) => set.instances.forEach((inst, k) => (cpu[s][k] += cpuMs(inst) - cpu0[s][k])));
      machineMs += machineBusyMs() - machine0;
      bytes += sink.received.bytes - bytes0;
      figures.forEach((figure, s) => runs[s].push(figure));
      opts.progress(
        `  ${setting}, run ${i + 1}/${RUNS}: off ${figures[0].perSecond.toFixed(0)}/s, ` +
          `${setting === 'control' ? 'second untraced set' : 'on'} ${figures[1].perSecond.toFixed(0)}/s`,
      );
    }
    await Promise.all(second.instances.map((instance) => instance.stop()));

    const [off, on] = sides.map((set, s): SideFigure => {
      const figure = meanFigure(runs[s]);
      const ops = opsOf(figure);
      const byApp = Object.fromEntries(set.instances.map((inst, k) => [inst.name, cpu[s][k] / ops]));
      const total = cpu[s].reduce((sum, ms) => sum + ms, 0);
      return { ...figure, cpuMsPerOp: total / ops, cpuMsPerOpByApp: byApp };
    });
    const appsMs = cpu.flat().reduce((sum, ms) => sum + ms, 0);
    const sharedCpuMsPerOp = Math.max(0, machineMs - appsMs) / (opsOf(off) + opsOf(on));
    results[setting] = {
      offered,
      off,
      on,
      sharedCpuMsPerOp,
      onOff: (sharedCpuMsPerOp + off.cpuMsPerOp) / (sharedCpuMsPerOp + on.cpuMsPerOp),
      exportedKbPerOp: bytes / 1000 / opsOf(on),
    };
    opts.progress(`  ${setting}: ${describeTracing(setting, results[setting], true)}`);
  }
  return results;
}
