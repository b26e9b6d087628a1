import { parseSecrets, signRequest, verifyRequest } from './signature';

const secrets = parseSecrets('wallet:wallet-secret-0000000001,gateway:gateway-secret-000000001');
const parts = { method: 'POST', path: '/internal/messages?x=1', body: Buffer.from('{"amount":100}') };
const now = Date.UTC(2026, 10, 23, 12, 0, 0);

describe('service signatures', () => {
  it('verifies a call signed with the caller secret', () => {
    const headers = signRequest('wallet', 'wallet-secret-0000000001', parts, now);
    expect(verifyRequest(secrets, headers, parts, now)).toEqual({ ok: true, caller: 'wallet' });
  });

  it.each([
    ['a changed body', { ...parts, body: Buffer.from('{"amount":1000}') }],
    ['a changed path', { ...parts, path: '/internal/messages?x=2' }],
    ['a changed method', { ...parts, method: 'PUT' }],
  ])('refuses %s', (_, tampered) => {
    const headers = signRequest('wallet', 'wallet-secret-0000000001', parts, now);
    expect(verifyRequest(secrets, headers, tampered, now)).toEqual({ ok: false, reason: 'bad signature' });
  });

  it('refuses a call signed with another caller secret', () => {
    const headers = signRequest('wallet', 'gateway-secret-000000001', parts, now);
    expect(verifyRequest(secrets, headers, parts, now).ok).toBe(false);
  });

  it('refuses an unknown caller and missing headers', () => {
    expect(verifyRequest(secrets, signRequest('stranger', 'x'.repeat(20), parts, now), parts, now)).toEqual({
      ok: false,
      reason: 'unknown caller',
    });
    expect(verifyRequest(secrets, {}, parts, now).ok).toBe(false);
  });

  it('accepts up to five minutes of clock skew and no more', () => {
    const headers = signRequest('wallet', 'wallet-secret-0000000001', parts, now);
    expect(verifyRequest(secrets, headers, parts, now + 299_000).ok).toBe(true);
    expect(verifyRequest(secrets, headers, parts, now - 299_000).ok).toBe(true);
    expect(verifyRequest(secrets, headers, parts, now + 301_000)).toEqual({
      ok: false,
      reason: 'timestamp outside the allowed window',
    });
  });
});
