import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type Progress, rollingRestart } from './drill-faults';
import type { AppInstance } from './full-stack';
import { type Figure, meanFigure } from './measure';
import { startSpanSink } from './span-sink';
import type { Teardown } from './teardown';

/** Tracing off; on as production runs it (one new trace in ten); on for every request. */
export const TRACING_SETTINGS = ['off', 'sampled', 'every'] as const;
export type TracingSetting = (typeof TRACING_SETTINGS)[number];

const SAMPLER_ARG: Record<Exclude<TracingSetting, 'off'>, string> = { sampled: '0.1', every: '1' };

/**
 * Each setting measured twice, in an order that meets itself backwards, so a drift over the phase
 * (the outbox, the buffer pool warming, a reconciliation pass) weighs on every setting alike; the
 * apps restart (one at a time, as a deploy) before every measurement.
 */
const ORDER: TracingSetting[] = ['off', 'every', 'sampled', 'sampled', 'every', 'off'];

export interface TracingFigure extends Figure {
  /** CPU time of every app process (gateway, services, relay) per successful operation. */
  cpuMsPerOp: number;
  /** Spans the apps exported during the measurements, per successful operation. */
  exportedKbPerOp: number;
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
 * Tracing's cost on the whole stack: the same load (`measure`, warmed by `warm` after each restart,
 * the outbox drained by `settle` before and after) with the apps exporting no spans, one trace in
 * ten, and every span, to a sink standing in for the collector sidecar. Throughput on this shared
 * machine moves with more than tracing, so the CPU the apps spend per operation is reported beside it.
 */
export async function measureTracingCost(opts: {
  instances: AppInstance[];
  measure: () => Promise<Figure>;
  warm: () => Promise<unknown>;
  settle: () => Promise<unknown>;
  teardown: Teardown;
  progress: Progress;
  seconds: number;
}): Promise<Record<TracingSetting, TracingFigure>> {
  const sink = await startSpanSink();
  opts.teardown.add('span sink', sink.close);
  const runs: Record<TracingSetting, TracingFigure[]> = { off: [], sampled: [], every: [] };
  // Every measurement meets freshly started apps warmed alike, the second of two runs of a setting
  // included: a process that served for minutes spends far less CPU per request than one a few
  // seconds old (JIT, caches), which would flatter whichever run met the older processes.
  for (const setting of ORDER) {
    if (setting === 'off') delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
    else {
      process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = sink.url;
      process.env.OTEL_TRACES_SAMPLER_ARG = SAMPLER_ARG[setting];
    }
    await rollingRestart(opts.instances, () => undefined);
    await opts.warm();
    await opts.settle();
    const [cpu0, bytes0] = [cpuMs(opts.instances), sink.received.bytes];
    const figure = await opts.measure();
    await opts.settle();
    const ops = Math.max(1, figure.perSecond * opts.seconds);
    const run = {
      ...figure,
      cpuMsPerOp: (cpuMs(opts.instances) - cpu0) / ops,
      exportedKbPerOp: (sink.received.bytes - bytes0) / 1000 / ops,
    };
    runs[setting].push(run);
    opts.progress(
      `  tracing ${setting}: ${figure.perSecond.toFixed(0)}/s, p99 ${figure.p99.toFixed(1)} ms, ` +
        `${run.cpuMsPerOp.toFixed(2)} CPU ms and ${run.exportedKbPerOp.toFixed(1)} kB of spans per transfer`,
    );
  }
  delete process.env.OTEL_TRACES_SAMPLER_ARG;
  const mean = (list: TracingFigure[], key: 'cpuMsPerOp' | 'exportedKbPerOp') =>
    list.reduce((sum, r) => sum + r[key], 0) / list.length;
  const result = {} as Record<TracingSetting, TracingFigure>;
  for (const setting of TRACING_SETTINGS)
    result[setting] = {
      ...meanFigure(runs[setting]),
      cpuMsPerOp: mean(runs[setting], 'cpuMsPerOp'),
      exportedKbPerOp: mean(runs[setting], 'exportedKbPerOp'),
    };
  return result;
}
