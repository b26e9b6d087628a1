import type { FastifyInstance } from 'fastify';
import type { Counter } from 'prom-client';
import type { Metrics } from '@paychat/telemetry';

type ProblemLabels = 'route' | 'status_code' | 'code';

/**
 * The app's counter, kept on its root Fastify instance: every reply's `server` is that instance or
 * a plugin's child of it (prototype-linked), so sendProblem finds it from any hook or route.
 */
const PROBLEM_COUNTER = Symbol('paychat.problemCounter');

/** Registers http_server_problems_total on the app's metrics, for every problem answer to count. */
export function installProblemCounter(fastify: FastifyInstance, metrics: Metrics): void {
  const counter = metrics.counter<ProblemLabels>({
    name: 'http_server_problems_total',
    help: 'problem+json answers, by route template, status and problem code',
    labelNames: ['route', 'status_code', 'code'],
  });
  fastify.decorate(PROBLEM_COUNTER, counter);
}

/** What counting needs of a reply (any Fastify server flavour). */
export interface CountedReply {
  server: object;
  request: { routeOptions?: { url?: string } };
}

/** +1 for one answer: the route template, or `unmatched` (never the raw path: bounded labels). */
export function countProblem(reply: CountedReply, status: number, code: string): void {
  const counter = (reply.server as Record<symbol, Counter<ProblemLabels> | undefined>)[PROBLEM_COUNTER];
  counter?.inc({ route: reply.request.routeOptions?.url ?? 'unmatched', status_code: String(status), code });
}
