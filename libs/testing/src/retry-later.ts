import { DEPENDENCY_RETRY_AFTER_SECONDS } from '@paychat/errors';
import type { CallResult } from './http';

/** A client is told to come back shortly, never that the server failed. */
export function expectRetryLater(res: CallResult): void {
  expect(res.status).toBe(503);
  expect(res.body.code).toBe('service_unavailable');
  expect(res.headers.get('retry-after')).toBe(String(DEPENDENCY_RETRY_AFTER_SECONDS));
}

/** The call's result and how long it took, in ms. */
export async function timed<T>(call: Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const result = await call;
  return [result, Date.now() - started];
}
