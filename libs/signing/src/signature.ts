import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const CALLER_HEADER = 'x-paychat-caller';
export const TIMESTAMP_HEADER = 'x-paychat-timestamp';
export const SIGNATURE_HEADER = 'x-paychat-signature';
/** How far a signed call's clock may be from ours; also bounds how long a captured call can be replayed. */
export const MAX_SKEW_SECONDS = 300;

export interface SignedParts {
  method: string;
  /** Path with query string, exactly as sent on the wire. */
  path: string;
  body?: Buffer | string;
}

function canonical(parts: SignedParts, timestamp: string): string {
  const bodyHash = createHash('sha256')
    .update(parts.body ?? '')
    .digest('hex');
  return `${parts.method.toUpperCase()}\n${parts.path}\n${timestamp}\n${bodyHash}`;
}

function mac(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('base64url');
}

/** Headers that prove to a sibling service who is calling (HMAC-SHA256 over method, path, time, body). */
export function signRequest(
  caller: string,
  secret: string,
  parts: SignedParts,
  now = Date.now(),
): Record<string, string> {
  const timestamp = Math.floor(now / 1000).toString();
  return {
    [CALLER_HEADER]: caller,
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: mac(secret, canonical(parts, timestamp)),
  };
}

export type VerifyResult = { ok: true; caller: string } | { ok: false; reason: string };

/** Checks a signed call against the per-caller secrets this service accepts. */
export function verifyRequest(
  secrets: ReadonlyMap<string, string>,
  headers: Record<string, string | string[] | undefined>,
  parts: SignedParts,
  now = Date.now(),
): VerifyResult {
  const caller = headers[CALLER_HEADER];
  const timestamp = headers[TIMESTAMP_HEADER];
  const signature = headers[SIGNATURE_HEADER];
  if (typeof caller !== 'string' || typeof timestamp !== 'string' || typeof signature !== 'string') {
    return { ok: false, reason: 'missing signature headers' };
  }
  const secret = secrets.get(caller);
  if (!secret) return { ok: false, reason: 'unknown caller' };
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) {
    return { ok: false, reason: 'timestamp outside the allowed window' };
  }
  const expected = Buffer.from(mac(secret, canonical(parts, timestamp)));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'bad signature' };
  }
  return { ok: true, caller };
}

/** Parses INTERNAL_SECRETS (`name:secret,…`). */
export function parseSecrets(spec: string): Map<string, string> {
  return new Map(
    spec
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const at = pair.indexOf(':');
        return [pair.slice(0, at), pair.slice(at + 1)] as [string, string];
      }),
  );
}
