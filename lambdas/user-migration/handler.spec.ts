import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServiceKeys } from '../../libs/signing/src/keys';
import { RequestVerifier } from '../../libs/signing/src/signature';
import { createHandler, LEGACY_ID_ATTRIBUTE, UserMigrationEvent } from './handler';

const SECRET = 'user-migration-test-secret-000';
const TARO = { id: 41, email: 'taro@legacy.test', name: '太郎' };

/** A stand-in for the legacy app's internal routes: checks our signature as legacy does, knows one user. */
function legacyStandIn(delayMs = 0) {
  const verifier = new RequestVerifier(ServiceKeys.parse(`user-migration>legacy:${SECRET}`, 'legacy'));
  const calls: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls.push(req.url!);
      const signed = verifier.verify(req.headers, { method: req.method!, path: req.url!, body });
      if (!signed.ok) return res.writeHead(401).end();
      const { email, password } = JSON.parse(body) as { email: string; password?: string };
      const known =
        email === TARO.email && (req.url === '/internal/users/lookup' || password === 'LegacyPass1!');
      const answer = setTimeout(
        () =>
          known
            ? res.writeHead(200).end(JSON.stringify(TARO))
            : res.writeHead(req.url === '/internal/users/lookup' ? 404 : 401).end(),
        delayMs,
      );
      answer.unref(); // a test that stops waiting must not keep the process alive
    });
  });
  return {
    calls,
    start: () =>
      new Promise<string>((r) =>
        server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
      ),
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const event = (triggerSource: string, userName: string, password?: string): UserMigrationEvent => ({
  triggerSource,
  userName,
  request: { password },
  response: {},
});

describe('user-migration trigger (Cognito → legacy app)', () => {
  const legacy = legacyStandIn();
  let handler: ReturnType<typeof createHandler>;
  beforeAll(async () => {
    handler = createHandler({ legacyUrl: await legacy.start(), secret: async () => SECRET, timeoutMs: 1000 });
  });
  afterAll(() => legacy.stop());

  it('answers a first sign-in with the legacy password: confirmed, no message, the legacy id — never sub', async () => {
    const out = await handler(event('UserMigration_Authentication', TARO.email, 'LegacyPass1!'));
    expect(out.response).toEqual({
      userAttributes: {
        email: TARO.email,
        email_verified: 'true',
        name: '太郎',
        [LEGACY_ID_ATTRIBUTE]: '41',
      },
      finalUserStatus: 'CONFIRMED',
      messageAction: 'SUPPRESS',
    });
    expect(legacy.calls.at(-1)).toBe('/internal/users/verify');
  });

  it('signs each call afresh for the legacy app (the same sign-in twice: no replay refused)', async () => {
    const signIn = event('UserMigration_Authentication', TARO.email, 'LegacyPass1!');
    for (let i = 0; i < 2; i++)
      await expect(handler({ ...signIn })).resolves.toHaveProperty('response.userAttributes');
  });

  it('fails a wrong password and an unknown email the way Cognito expects (a thrown error)', async () => {
    await expect(handler(event('UserMigration_Authentication', TARO.email, 'wrong'))).rejects.toThrow(
      'Bad credentials',
    );
    await expect(handler(event('UserMigration_Authentication', 'nobody@legacy.test', 'x'))).rejects.toThrow();
  });

  it('answers a password reset for a known user with RESET_REQUIRED; unknown → error', async () => {
    const out = await handler(event('UserMigration_ForgotPassword', TARO.email));
    expect(out.response).toMatchObject({ finalUserStatus: 'RESET_REQUIRED', messageAction: 'SUPPRESS' });
    expect((out.response.userAttributes as Record<string, string>)[LEGACY_ID_ATTRIBUTE]).toBe('41');
    await expect(handler(event('UserMigration_ForgotPassword', 'nobody@legacy.test'))).rejects.toThrow(
      'User not found',
    );
    await expect(handler(event('PreSignUp_SignUp', TARO.email))).rejects.toThrow('Unsupported trigger');
  });

  it('gives up on a slow legacy app within its own timeout, well inside Cognito’s 5 s', async () => {
    const slow = legacyStandIn(3000);
    const quick = createHandler({
      legacyUrl: await slow.start(),
      secret: async () => SECRET,
      timeoutMs: 300,
    });
    try {
      const started = Date.now();
      await expect(
        quick(event('UserMigration_Authentication', TARO.email, 'LegacyPass1!')),
      ).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await slow.stop();
    }
  });
});
