import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { activeTraceId } from '@paychat/telemetry';

export const REQUEST_ID_HEADER = 'x-request-id';
const WELL_FORMED = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Keeps a caller's well-formed `X-Request-Id` so one id follows a request across services; else the
 * request's trace id when it is traced (logs and traces then share one id), else a fresh one.
 */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && WELL_FORMED.test(given) ? given : (activeTraceId() ?? randomUUID());
}
