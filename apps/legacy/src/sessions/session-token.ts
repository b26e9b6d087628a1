import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: always 43 characters. */
const TOKEN_PATTERN = /^Session ([A-Za-z0-9_-]{43})$/;

export const SESSION_TTL_MS = 24 * 60 * 60 * 1000;

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps instead of the token itself. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The token from `Authorization: Session <token>`. The scheme is deliberately not `Bearer`, so a
 * legacy session and a Cognito access token can never be mistaken for each other at the gateway.
 */
export function sessionTokenFrom(header: string | undefined): string | undefined {
  return TOKEN_PATTERN.exec(header ?? '')?.[1];
}
