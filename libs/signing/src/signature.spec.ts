import { ServiceKeys } from './keys';
import { NonceCache } from './nonce-cache';
import { RequestVerifier, signRequest, TARGET_HEADER, verifyRequest } from './signature';

/** Each service's INTERNAL_SECRETS as infra composes it: only the pairs it is one end of. */
const GATEWAY_TO_WALLET = 'gateway>wallet:gateway-to-wallet-000000';
const GATEWAY_TO_MESSAGES = 'gateway>messages:gateway-to-messages-00';
const MESSAGES_TO_WALLET = 'messages>wallet:messages-to-wallet-0000';
const WALLET_TO_MESSAGES = 'wallet>messages:wallet-to-messages-0000';
const keysOf = (self: string, ...pairs: string[]) => ServiceKeys.parse(pairs.join(','), self);
const gateway = keysOf('gateway', GATEWAY_TO_WALLET, GATEWAY_TO_MESSAGES);
const wallet = keysOf('wallet', GATEWAY_TO_WALLET, MESSAGES_TO_WALLET, WALLET_TO_MESSAGES);
const messages = keysOf('messages', GATEWAY_TO_MESSAGES, WALLET_TO_MESSAGES, MESSAGES_TO_WALLET);

const parts = { method: 'POST', path: '/internal/events/batch?x=1', body: Buffer.from('{"amount":100}') };
const now = Date.UTC(2026, 10, 23, 12, 0, 0);

describe('service signatures', () => {
  it('verifies a call signed with the caller→target pair secret', () => {
    const headers = signRequest(wallet.signingKey('messages'), parts, now);
    expect(verifyRequest(messages, headers, parts, now)).toMatchObject({ ok: true, caller: 'wallet' });
  });

  it.each([
    ['a changed body', { ...parts, body: Buffer.from('{"amount":1000}') }],
    ['a changed path', { ...parts, path: '/internal/events/batch?x=2' }],
    ['a changed method', { ...parts, method: 'PUT' }],
  ])('refuses %s', (_, tampered) => {
    const headers = signRequest(wallet.signingKey('messages'), parts, now);
    expect(verifyRequest(messages, headers, tampered, now)).toMatchObject({
      ok: false,
      reason: 'bad signature',
    });
  });

  it('refuses a signature meant for another service, even with the target header rewritten', () => {
    const toWallet = signRequest(gateway.signingKey('wallet'), parts, now);
    expect(verifyRequest(messages, toWallet, parts, now)).toMatchObject({
      ok: false,
      reason: 'signed for another service',
    });
    const retargeted = { ...toWallet, [TARGET_HEADER]: 'messages' };
    expect(verifyRequest(messages, retargeted, parts, now)).toMatchObject({
      ok: false,
      reason: 'bad signature',
    });
  });

  it('gives a service no way to sign as another caller: messages cannot pass as the gateway to the wallet', () => {
    // Every secret messages holds, tried as the gateway's: none is the gateway→wallet one.
    for (const entry of [GATEWAY_TO_MESSAGES, WALLET_TO_MESSAGES, MESSAGES_TO_WALLET]) {
      const secret = entry.slice(entry.indexOf(':') + 1);
      const forged = signRequest({ caller: 'gateway', target: 'wallet', secret }, parts, now);
      expect(verifyRequest(wallet, forged, parts, now)).toMatchObject({ ok: false, reason: 'bad signature' });
    }
    expect(() => messages.signingKey('messages')).toThrow('INTERNAL_SECRETS has no messages>messages secret');
  });

  it('refuses an unknown caller and missing headers', () => {
    const stranger = signRequest(
      { caller: 'stranger', target: 'messages', secret: 'x'.repeat(20) },
      parts,
      now,
    );
    expect(verifyRequest(messages, stranger, parts, now)).toMatchObject({
      ok: false,
      reason: 'unknown caller',
    });
    expect(verifyRequest(messages, {}, parts, now)).toMatchObject({
      ok: false,
      reason: 'missing signature headers',
    });
  });

  it('accepts up to a minute of clock skew and no more', () => {
    const headers = signRequest(wallet.signingKey('messages'), parts, now);
    expect(verifyRequest(messages, headers, parts, now + 59_000).ok).toBe(true);
    expect(verifyRequest(messages, headers, parts, now - 59_000).ok).toBe(true);
    expect(verifyRequest(messages, headers, parts, now + 61_000)).toMatchObject({
      ok: false,
      reason: 'timestamp outside the allowed window',
    });
  });

  it('accepts either secret of a pair being rotated, and signs with the first listed', () => {
    const rotating = 'wallet>messages:wallet-to-messages-new0';
    const during = keysOf('messages', rotating, WALLET_TO_MESSAGES);
    const signer = keysOf('wallet', rotating, WALLET_TO_MESSAGES).signingKey('messages');
    expect(signer.secret).toBe('wallet-to-messages-new0');
    expect(verifyRequest(during, signRequest(signer, parts, now), parts, now).ok).toBe(true);
    const old = signRequest(wallet.signingKey('messages'), parts, now);
    expect(verifyRequest(during, old, parts, now).ok).toBe(true);
  });

  it('ignores the pairs a service is no end of (one local value serves every process)', () => {
    const shared = keysOf('messages', GATEWAY_TO_WALLET, WALLET_TO_MESSAGES);
    expect(shared.secretsFrom('gateway')).toEqual([]);
    expect(() => shared.signingKey('wallet')).toThrow('INTERNAL_SECRETS has no messages>wallet secret');
  });
});

describe('replay protection', () => {
  it('refuses the same signed call the second time, and a fresh signature of it is accepted', () => {
    const verifier = new RequestVerifier(messages);
    const headers = signRequest(wallet.signingKey('messages'), parts, now);
    expect(verifier.verify(headers, parts, now).ok).toBe(true);
    expect(verifier.verify(headers, parts, now + 1_000)).toMatchObject({
      ok: false,
      reason: 'replayed nonce',
    });
    const again = signRequest(wallet.signingKey('messages'), parts, now + 1_000);
    expect(verifier.verify(again, parts, now + 1_000).ok).toBe(true);
  });

  it('forgets a nonce once its timestamp is out of the window (the window refuses it from then on)', () => {
    const verifier = new RequestVerifier(messages);
    const headers = signRequest(wallet.signingKey('messages'), parts, now);
    expect(verifier.verify(headers, parts, now).ok).toBe(true);
    expect(verifier.verify(headers, parts, now + 61_000)).toMatchObject({
      reason: 'timestamp outside the allowed window',
    });
  });

  it('keeps at most `max` live nonces: expired ones make room, live ones are never dropped early', () => {
    const cache = new NonceCache(2);
    expect(cache.add('a', now + 60_000, now)).toBe('added');
    expect(cache.add('b', now + 90_000, now)).toBe('added');
    expect(cache.add('c', now + 60_000, now)).toBe('full');
    expect(cache.add('a', now + 60_000, now + 1_000)).toBe('seen');
    expect(cache.add('c', now + 120_000, now + 60_000)).toBe('added'); // `a` expired
    expect(cache.size).toBe(2);
  });

  it('answers a full cache with its own reason (the guard makes it a 503, not a 401)', () => {
    const verifier = new RequestVerifier(messages, new NonceCache(1));
    const sign = () => signRequest(wallet.signingKey('messages'), parts, now);
    expect(verifier.verify(sign(), parts, now).ok).toBe(true);
    expect(verifier.verify(sign(), parts, now)).toMatchObject({ ok: false, reason: 'replay cache full' });
  });
});
