import { ServiceKeys } from '../../libs/signing/src/keys';
import { RequestVerifier } from '../../libs/signing/src/signature';
import { stubServer } from '../../libs/testing/src/http';
import { createHandler, LEGACY_EMAIL_REFUSAL, PreSignUpEvent } from './handler';

const SECRET = 'user-migration-test-secret-000';
const LEGACY_EMAIL = 'hanako@legacy.test';

/** The legacy app's lookup route: checks the signature as legacy does, knows one email. */
const verifier = new RequestVerifier(ServiceKeys.parse(`user-migration>legacy:${SECRET}`, 'legacy'));
const legacy = stubServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (!verifier.verify(req.headers, { method: req.method!, path: req.url!, body }).ok)
      return res.writeHead(401).end();
    const { email } = JSON.parse(body) as { email: string };
    if (req.url !== '/internal/users/lookup' || email !== LEGACY_EMAIL) return res.writeHead(404).end();
    res.writeHead(200).end(JSON.stringify({ id: 7, email, name: 'Hanako' }));
  });
});

const event = (triggerSource: string, email: string): PreSignUpEvent => ({
  triggerSource,
  userName: 'some-uuid',
  request: { userAttributes: { email } },
  response: { autoConfirmUser: false },
});

describe('pre-sign-up trigger (Cognito → legacy app)', () => {
  let legacyUrl: string;
  beforeAll(async () => {
    legacyUrl = await legacy.start();
  });
  afterAll(() => legacy.stop());
  const handler = (over: Partial<Parameters<typeof createHandler>[0]> = {}) =>
    createHandler({ legacyUrl, secret: async () => SECRET, timeoutMs: 1000, ...over });

  it.each(['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser'])(
    'refuses %s with a legacy user’s email, naming why',
    async (source) => {
      await expect(handler()(event(source, LEGACY_EMAIL))).rejects.toThrow(
        new RegExp(`^${LEGACY_EMAIL_REFUSAL}:`),
      );
    },
  );

  it('lets a new email through unchanged', async () => {
    const e = event('PreSignUp_SignUp', 'new@paychat.test');
    await expect(handler()(e)).resolves.toEqual(event('PreSignUp_SignUp', 'new@paychat.test'));
  });

  it('lets a federated sign-in through without asking legacy', async () => {
    const e = event('PreSignUp_ExternalProvider', LEGACY_EMAIL);
    await expect(handler({ legacyUrl: 'http://127.0.0.1:1' })(e)).resolves.toBe(e);
  });

  it('refuses when legacy cannot answer — unless told to let it through (the local stack)', async () => {
    const down = { legacyUrl: 'http://127.0.0.1:1' };
    await expect(handler(down)(event('PreSignUp_SignUp', 'x@paychat.test'))).rejects.toThrow(
      /^legacy_unreachable/,
    );
    const local = handler({ ...down, allowWhenLegacyUnreachable: true });
    await expect(local(event('PreSignUp_SignUp', 'x@paychat.test'))).resolves.toBeDefined();
  });

  it('refuses when legacy refuses its signature (a wrong secret must not pass every sign-up)', async () => {
    await expect(
      handler({ secret: async () => 'wrong-secret' })(event('PreSignUp_SignUp', 'new@paychat.test')),
    ).rejects.toThrow(/^legacy_unreachable: legacy answered 401/);
  });
});
