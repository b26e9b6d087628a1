import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';

/** The W3C headers of the active trace (`traceparent`, `tracestate`), or null when nothing is traced. */
export function captureTraceContext(): Record<string, string> | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? carrier : null;
}

/**
 * Tells the HTTP instrumentation the request's route template (where Fastify has routed it): when
 * the response finishes, it sets `http.route` on the server span and names it `POST
 * /v2/wallet/transfers`, the name trace viewers and X-Ray group by; never by the raw path.
 */
export function recordServerRoute(route: string): void {
  const rpc = getRPCMetadata(context.active());
  if (rpc?.type === RPCType.HTTP) rpc.route = route;
}

/** Whether the code running now is inside a span that is recorded (not an unsampled or untraced request). */
export function inRecordedSpan(): boolean {
  return trace.getActiveSpan()?.isRecording() === true;
}

/** The active span's trace id, when a request is traced. */
export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  return span && isSpanContextValid(span) ? span.traceId : undefined;
}

/** The span a stored `traceparent` names, if it names a valid one. */
function storedSpan(stored: Record<string, string> | null | undefined) {
  if (!stored) return undefined;
  const span = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, stored));
  return span && isSpanContextValid(span) ? span : undefined;
}

const tracer = trace.getTracer('paychat.outbox');

/**
 * One delivery of stored events (an outbox batch): a span linked to the request that wrote each
 * event. The relay delivers long after those requests ended, so its span starts a trace of its own
 * (`root`); the fast path runs right after the commit and joins the trace of the request that wrote
 * the batch's first event, whichever request's flush happens to send it (or stays in the flushing
 * request's context when that event kept none: its request was not sampled).
 */
export function inDeliverySpan<T>(
  name: string,
  events: { traceContext: Record<string, string> | null }[],
  opts: { root: boolean },
  work: () => Promise<T>,
): Promise<T> {
  const stored = events.map((e) => storedSpan(e.traceContext));
  const writers = stored.flatMap((span) => span ?? []);
  const first = stored[0];
  // A fast path flushing for an unsampled request, its first event from one too: nothing to join.
  if (!opts.root && !first && !inRecordedSpan()) return work();
  const parent = opts.root
    ? ROOT_CONTEXT
    : first
      ? trace.setSpanContext(ROOT_CONTEXT, first)
      : context.active();
  return tracer.startActiveSpan(
    name,
    {
      kind: SpanKind.PRODUCER,
      links: writers.map((span) => ({ context: span })),
      attributes: { 'messaging.batch.message_count': events.length },
    },
    parent,
    async (span) => {
      try {
        return await work();
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}
