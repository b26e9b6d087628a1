import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Metrics } from '@paychat/telemetry';
import { AppError } from './app-error';
import { DEPENDENCY_RETRY_AFTER_SECONDS, unavailableDependency } from './dependency-errors';
import { rootCause } from './failure-reason';
import { countProblem, type CountedReply, installProblemCounter } from './problem-counter';
import { genericCodeFor, PROBLEM_STATUS, ProblemCode } from './problem-codes';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: ProblemCode;
  requestId: string;
  errors?: { field: string; message: string }[];
}

const TITLES: Partial<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Fastify's own errors (raised before Nest sees the request) that callers can cause. */
const FASTIFY_CODES: Record<string, ProblemCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
  // Percent-encoding that does not decode: the router refuses it before any hook runs.
  FST_ERR_BAD_URL: 'invalid_path',
};

interface Classified {
  code: ProblemCode;
  status: number;
  detail?: string;
  errors?: Problem['errors'];
  headers?: Record<string, string>;
  /** The dependency whose unavailability this answer reports (logged, never shown). */
  dependency?: string;
  /** RFC 9457 extension members, beside the standard ones (which they cannot replace). */
  extensions?: Record<string, unknown>;
}

/** What an error means for the client (code, status, safe detail), or undefined for an unexpected one. */
export function classify(exception: unknown): Classified | undefined {
  // Nest wraps Fastify's own 4xx errors (bad JSON, too large) in an HttpException; look at the original.
  if (exception instanceof HttpException && exception.cause) {
    const inner = classify(exception.cause);
    if (inner) return inner;
  }
  if (exception instanceof AppError) {
    return { ...exception, status: exception.status };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    // Nest's own 4xx messages are safe to show, except the 404's "Cannot GET <path>": the path may be
    // an internal one a proxy rewrote, with a query of personal data. Anything 5xx is never shown.
    const shown = status < 500 && status !== 404;
    return { code: genericCodeFor(status), status, detail: shown ? exception.message : undefined };
  }
  // Not our bug and not the client's: a dependency is down or overloaded, so "try again shortly".
  const dependency = unavailableDependency(exception);
  if (dependency) {
    return {
      code: 'service_unavailable',
      status: PROBLEM_STATUS.service_unavailable,
      headers: { 'retry-after': String(DEPENDENCY_RETRY_AFTER_SECONDS) },
      dependency,
    };
  }
  const fastifyCode = (exception as { code?: unknown })?.code;
  if (typeof fastifyCode === 'string' && fastifyCode in FASTIFY_CODES) {
    const code = FASTIFY_CODES[fastifyCode];
    return {
      code,
      status: PROBLEM_STATUS[code],
      detail: code === 'malformed_json' ? 'Body is not valid JSON' : undefined,
    };
  }
  return undefined;
}

export function toProblem(c: Classified, requestId: string): Problem {
  return {
    ...c.extensions,
    type: `urn:paychat:problem:${c.code}`,
    title: TITLES[c.status] ?? 'Error',
    status: c.status,
    ...(c.detail ? { detail: c.detail } : {}),
    code: c.code,
    requestId,
    ...(c.errors ? { errors: c.errors } : {}),
  };
}

/** What sendProblem needs of a Fastify reply (any server flavour). */
interface ProblemReply extends CountedReply {
  request: CountedReply['request'] & { id: string };
  status(code: number): { headers(h: Record<string, string>): { send(body: unknown): unknown } };
}

/**
 * Writes a problem+json answer, counted in http_server_problems_total; also for code outside Nest's
 * pipeline (Fastify hooks, proxy routes).
 */
export function sendProblem<R extends ProblemReply>(reply: R, c: Classified): R {
  countProblem(reply, c.status, c.code);
  reply
    .status(c.status)
    .headers({ ...c.headers, 'content-type': PROBLEM_CONTENT_TYPE })
    .send(toProblem(c, reply.request.id));
  return reply;
}

/** The one place errors become responses: RFC 9457 problem+json, internals logged but never returned. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  /** The app's HTTP server (absent in a context without one, such as a script) counts its problems. */
  constructor(metrics: Metrics, adapterHost: HttpAdapterHost) {
    const fastify = adapterHost.httpAdapter?.getInstance();
    if (fastify) installProblemCounter(fastify, metrics);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const known = classify(exception);
    if (known?.dependency) {
      // Expected during an outage, and once per request: a warning naming it, not a stack trace.
      const reason = rootCause(exception);
      this.logger.warn(
        { dependency: known.dependency, reason, requestId: request.id },
        'dependency unavailable',
      );
    } else if (!known || known.status >= 500) {
      this.logger.error({ err: exception, requestId: request.id }, 'request failed');
    }
    if (!reply.sent) sendProblem(reply, known ?? { code: 'internal_error', status: 500 });
  }
}
