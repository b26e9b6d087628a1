import {
  context,
  isSpanContextValid,
  type Link,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

/** The W3C headers of the active trace (`traceparent`, `tracestate`), or null when nothing is traced. */
export function captureTraceContext(): Record<string, string> | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? carrier : null;
}

/** The active span's trace id, when a request is traced. */
export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  return span && isSpanContextValid(span) ? span.traceId : undefined;
}

function linkTo(stored: Record<string, string> | null | undefined): Link[] {
  if (!stored) return [];
  const span = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, stored));
  return span && isSpanContextValid(span) ? [{ context: span }] : [];
}

const tracer = trace.getTracer('paychat.outbox');

/**
 * One delivery of stored events (an outbox batch): a span linked to the request that wrote each
 * event. The relay delivers long after those requests ended, so its span starts a trace of its own
 * (`root`); the fast path runs right after the commit and stays in the request's trace.
 */
export function inDeliverySpan<T>(
  name: string,
  events: { traceContext: Record<string, string> | null }[],
  opts: { root: boolean },
  work: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(
    name,
    {
      root: opts.root,
      kind: SpanKind.PRODUCER,
      links: events.flatMap((e) => linkTo(e.traceContext)),
      attributes: { 'messaging.batch.message_count': events.length },
    },
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
