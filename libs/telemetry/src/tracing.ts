import type { IncomingMessage } from 'node:http';
import { type Context, TraceFlags } from '@opentelemetry/api';
import { parseTraceParent, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { type InstrumentationBase, registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { AwsInstrumentation } from '@opentelemetry/instrumentation-aws-sdk';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { inRecordedSpan } from './trace-context';
import {
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-node';

/** Probes, scrapes and a test's in-process OTLP receiver make no spans (the last would loop). */
const UNTRACED_PATHS = /^\/(health\/|metrics$|v1\/traces$)/;

/** The public edge propagates our context downstream but never adopts a client's trace id or sampling. */
class InjectOnlyTraceContext extends W3CTraceContextPropagator {
  override extract(context: Context): Context {
    return context;
  }
}

/** Whether a request arrives inside a trace that is being recorded (W3C `traceparent`, sampled flag). */
function inSampledTrace(req: IncomingMessage): boolean {
  const header = req.headers.traceparent;
  const parent = typeof header === 'string' ? parseTraceParent(header) : null;
  return parent !== null && (parent.traceFlags & TraceFlags.SAMPLED) !== 0;
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Lets an instrumentation's patch of `methods` run only for the calls `traced` accepts; any other
 * call goes straight to the original method. Unsampled requests (nine in ten in production) then
 * run none of the per-call work instrumentations do before a span turns out not to be recorded:
 * the HTTP instrumentation binds every request's and response's emitters even to suppress tracing,
 * mysql2's builds attributes and wraps each query's callback, the AWS SDK's wraps each command's
 * middleware stack and adds promises.
 */
function patchedOnlyWhen<T extends InstrumentationBase>(
  instrumentation: T,
  methods: readonly string[],
  traced: (...args: unknown[]) => boolean,
): T {
  // `_wrap` is how every instrumentation installs its patches, when the module they patch loads.
  const patcher = instrumentation as unknown as {
    _wrap: (target: object, name: string, patch: (original: Method) => Method) => unknown;
  };
  const wrap = patcher._wrap;
  // An upgrade that renamed it would leave every call patched again, silently: fail at start instead.
  if (typeof wrap !== 'function') throw new Error(`${instrumentation.instrumentationName} has no _wrap`);
  patcher._wrap = (target, name, patch) =>
    wrap(target, name, (original) => {
      if (!methods.includes(name)) return patch(original);
      const patched = patch(original);
      return function (this: unknown, ...args: unknown[]) {
        return (traced(...args) ? patched : original).apply(this, args);
      };
    });
  return instrumentation;
}

let provider: NodeTracerProvider | undefined;

/** Whether spans are exported: the standard OTEL_* switches, off unless an endpoint is configured. */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * Starts OpenTelemetry before the app loads (each app's instrument.ts, the first import of its
 * main.ts: the instrumentations patch mysql2, ioredis, pino and the AWS SDK as they are required).
 * W3C trace context goes out on every HTTP call; spans leave as OTLP/HTTP JSON to the endpoint the
 * standard `OTEL_EXPORTER_OTLP_*` variables name. Trace ids are X-Ray compatible.
 */
export function startTracing(opts: {
  service: string;
  /**
   * Where the app's requests come from: `edge` (the gateway) draws every request's sampling
   * decision and adopts no caller's trace; `behind-edge` (wallet, messages: reached only through
   * the edge or each other) follows that decision; `entry` (legacy, which the load balancer also
   * reaches directly) follows a caller's decision and samples a request without one itself.
   */
  role: 'edge' | 'behind-edge' | 'entry';
}): void {
  if (provider || !tracingEnabled()) return;
  const ratio = Number(process.env.OTEL_TRACES_SAMPLER_ARG ?? 1);
  const edge = opts.role === 'edge';
  // A request that is not sampled bypasses the instrumentations (patchedOnlyWhen), so none of them
  // builds spans nobody records. The edge draws the decision before any span exists; behind it, a
  // request arriving unsampled or without a trace is one the edge did not sample.
  const unsampledBy: Record<typeof opts.role, (req: IncomingMessage) => boolean> = {
    edge: () => Math.random() >= ratio,
    'behind-edge': (req) => !inSampledTrace(req),
    entry: () => false,
  };
  const unsampled = unsampledBy[opts.role];
  const tracedRequest = (event: unknown, req: unknown) =>
    event === 'request' &&
    !UNTRACED_PATHS.test((req as IncomingMessage).url ?? '') &&
    !unsampled(req as IncomingMessage);
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: opts.service }),
    idGenerator: new AWSXRayIdGenerator(),
    sampler: new ParentBasedSampler({
      // At the edge a request that reaches the sampler was already drawn. A database or Redis call
      // outside a recorded span makes no span at all, so only requests and relay batches start traces.
      root: edge ? new AlwaysOnSampler() : new TraceIdRatioBasedSampler(ratio),
    }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register(edge ? { propagator: new InjectOnlyTraceContext() } : {});
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // The server span is named by its route template where Fastify routes it (recordServerRoute):
      // @fastify/otel's handler spans cost about as much CPU as all the other instrumentations together.
      patchedOnlyWhen(
        // The apps' own HTTP clients are undici; node:http carries only the AWS SDK, whose spans say more.
        new HttpInstrumentation({ disableOutgoingRequestInstrumentation: true }),
        ['emit'],
        tracedRequest,
      ),
      // Outside a recorded span (an unsampled request, a readiness probe, a relay poll) a call makes
      // no span and sends no traceparent, and skips the URL and header parsing the span would need.
      new UndiciInstrumentation({ ignoreRequestHook: () => !inRecordedSpan() }),
      // Statements bind their values as parameters: the text alone, placeholders and all, carries
      // none (unmasked, the instrumentation would inline the values).
      patchedOnlyWhen(
        new MySQL2Instrumentation({ maskStatement: true, maskStatementHook: (sql) => sql }),
        ['query', 'execute'],
        inRecordedSpan,
      ),
      // Redis commands outside a request (subscriptions, background jobs) start no trace.
      new IORedisInstrumentation({ requireParentSpan: true }),
      patchedOnlyWhen(
        new AwsInstrumentation({ suppressInternalInstrumentation: true }),
        ['send', 'resolve', 'clone', 'concat'],
        inRecordedSpan,
      ),
      // trace_id and span_id in every log line written inside a span.
      new PinoInstrumentation({ disableLogSending: true }),
    ],
  });
}

/** Flushes what is buffered; an absent collector must not fail a shutdown. */
export async function stopTracing(): Promise<void> {
  await provider?.shutdown().catch(() => undefined);
  provider = undefined;
}
