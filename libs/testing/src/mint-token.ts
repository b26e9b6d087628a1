import { generateKeyPair, importJWK, JWK, SignJWT } from 'jose';
import { loadConfig } from '@paychat/config';
import { CognitoEnv, cognitoIssuer } from '@paychat/auth';
// cognito-local signs with a key that ships in its package: fine for tests, never trusted in production.
import localKey from 'cognito-local/lib/keys/cognitoLocal.private.json';

export interface MintOptions {
  claims?: Record<string, unknown>;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  kid?: string;
  /** Sign with a freshly generated key instead of the pool's (a forgery). */
  foreignKey?: boolean;
}

/** An access token shaped exactly like the local pool's, with one thing changed per test. */
export async function mintAccessToken(opts: MintOptions = {}): Promise<string> {
  const config = loadConfig(CognitoEnv);
  const key = opts.foreignKey
    ? (await generateKeyPair('RS256')).privateKey
    : await importJWK(localKey.jwk as JWK, 'RS256');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    sub: 'minted-subject',
    client_id: config.COGNITO_CLIENT_ID,
    token_use: 'access',
    username: 'minted-subject',
    ...opts.claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'CognitoLocal' })
    .setIssuer(cognitoIssuer(config))
    .setIssuedAt(now - 60)
    .setExpirationTime(now + (opts.expiresIn ?? 600))
    .sign(key);
}

/** `alg: none`: an unsigned token that a careless verifier would accept. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.`;
}
