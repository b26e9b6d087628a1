import type { PairKey } from './keys';
import { signRequest } from './signature';

export interface SignedCallOptions {
  baseUrl: string;
  /** Our key for the service at `baseUrl` (ServiceKeys.signingKey). */
  key: PairKey;
  timeoutMs: number;
  requestId?: string;
}

export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

/**
 * POSTs JSON to a sibling's `/internal/*` route with our service signature and a timeout.
 * Returns the parsed answer; any non-2xx or transport failure is an UpstreamError. Each call is
 * signed afresh (its own nonce), so a caller's retry is not refused as a replay.
 */
export async function postSigned<T>(options: SignedCallOptions, path: string, payload: unknown): Promise<T> {
  const body = JSON.stringify(payload);
  const headers = {
    'content-type': 'application/json',
    ...(options.requestId ? { 'x-request-id': options.requestId } : {}),
    ...signRequest(options.key, { method: 'POST', path, body }),
  };
  let response: Response;
  try {
    response = await fetch(new URL(path, options.baseUrl), {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (err) {
    throw new UpstreamError(`POST ${path} failed: ${(err as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) throw new UpstreamError(`POST ${path} answered ${response.status}`, response.status);
  return (text ? JSON.parse(text) : undefined) as T;
}
