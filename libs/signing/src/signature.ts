import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PairKey, ServiceKeys } from './keys';
import { NonceCache } from './nonce-cache';

export const CALLER_HEADER = 'x-paychat-caller';
export const TARGET_HEADER = 'x-paychat-target';
export const TIMESTAMP_HEADER = 'x-paychat-timestamp';
export const NONCE_HEADER = 'x-paychat-nonce';
export const SIGNATURE_HEADER = 'x-paychat-signature';
/** How far a signed call's clock may be from ours; a seen nonce is remembered for as long as this lets it in. */
export const MAX_SKEW_SECONDS = 60;

const NONCE = /^[A-Za-z0-9_-]{22,64}$/;

export interface SignedParts {
  method: string;
  /** Path with query string, exactly as sent on the wire. */
  path: string;
  body?: Buffer | string;
}

interface Envelope {
  caller: string;
  target: string;
  timestamp: string;
  nonce: string;
}

/** Every field a verifier relies on is signed: who, for whom, when, which call, which body. */
function canonical(envelope: Envelope, parts: SignedParts): string {
  const bodyHash = createHash('sha256')
    .update(parts.body ?? '')
    .digest('hex');
  const { caller, target, timestamp, nonce } = envelope;
  return [
    'paychat-v2',
    caller,
    target,
    timestamp,
    nonce,
    parts.method.toUpperCase(),
    parts.path,
    bodyHash,
  ].join('\n');
}

function mac(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('base64url');
}

/**
 * Headers that prove to `key.target` that `key.caller` sent this very call: HMAC-SHA256 with the pair's
 * secret. A fresh nonce each time, so a retry must be signed again (the verifier refuses a repeat).
 */
export function signRequest(key: PairKey, parts: SignedParts, now = Date.now()): Record<string, string> {
  const envelope: Envelope = {
    caller: key.caller,
    target: key.target,
    timestamp: Math.floor(now / 1000).toString(),
    nonce: randomBytes(16).toString('base64url'),
  };
  return {
    [CALLER_HEADER]: envelope.caller,
    [TARGET_HEADER]: envelope.target,
    [TIMESTAMP_HEADER]: envelope.timestamp,
    [NONCE_HEADER]: envelope.nonce,
    [SIGNATURE_HEADER]: mac(key.secret, canonical(envelope, parts)),
  };
}

export type VerifyResult =
  | { ok: true; caller: string; nonce: string; timestamp: number }
  | { ok: false; reason: string; caller?: string };

/** Checks a signed call's envelope and signature against our keys (without the replay check: see RequestVerifier). */
export function verifyRequest(
  keys: ServiceKeys,
  headers: Record<string, string | string[] | undefined>,
  parts: SignedParts,
  now = Date.now(),
): VerifyResult {
  const [caller, target, timestamp, nonce, signature] = [
    CALLER_HEADER,
    TARGET_HEADER,
    TIMESTAMP_HEADER,
    NONCE_HEADER,
    SIGNATURE_HEADER,
  ].map((name) => headers[name]);
  if (![caller, target, timestamp, nonce, signature].every((v) => typeof v === 'string')) {
    return { ok: false, reason: 'missing signature headers' };
  }
  const envelope = { caller, target, timestamp, nonce } as Envelope;
  if (envelope.target !== keys.self)
    return { ok: false, reason: 'signed for another service', caller: envelope.caller };
  const secrets = keys.secretsFrom(envelope.caller);
  if (!secrets.length) return { ok: false, reason: 'unknown caller', caller: envelope.caller };
  const seconds = Number(timestamp);
  if (!/^\d{1,12}$/.test(envelope.timestamp) || Math.abs(now / 1000 - seconds) > MAX_SKEW_SECONDS) {
    return { ok: false, reason: 'timestamp outside the allowed window', caller: envelope.caller };
  }
  if (!NONCE.test(envelope.nonce)) return { ok: false, reason: 'malformed nonce', caller: envelope.caller };
  const given = Buffer.from(signature as string);
  const text = canonical(envelope, parts);
  const matches = secrets.some((secret) => {
    const expected = Buffer.from(mac(secret, text));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!matches) return { ok: false, reason: 'bad signature', caller: envelope.caller };
  return { ok: true, caller: envelope.caller, nonce: envelope.nonce, timestamp: seconds };
}

/**
 * verifyRequest plus the replay check: a nonce is accepted once while its timestamp is inside the
 * window, and a call outside the window is refused anyway. The memory is this process's own (see NonceCache).
 */
export class RequestVerifier {
  constructor(
    readonly keys: ServiceKeys,
    private readonly seen = new NonceCache(),
  ) {}

  verify(
    headers: Record<string, string | string[] | undefined>,
    parts: SignedParts,
    now = Date.now(),
  ): VerifyResult {
    const result = verifyRequest(this.keys, headers, parts, now);
    if (!result.ok) return result;
    const expiresAt = (result.timestamp + MAX_SKEW_SECONDS) * 1000;
    const outcome = this.seen.add(`${result.caller}/${result.nonce}`, expiresAt, now);
    if (outcome === 'seen') return { ok: false, reason: 'replayed nonce', caller: result.caller };
    if (outcome === 'full') return { ok: false, reason: REPLAY_CACHE_FULL, caller: result.caller };
    return result;
  }
}

/** The one refusal that is ours, not the caller's: answered 503 so the caller tries again. */
export const REPLAY_CACHE_FULL = 'replay cache full';
