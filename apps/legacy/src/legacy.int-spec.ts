import request from 'supertest';
import { FIXTURE_PASSWORD, LegacyTestbed } from '../../../test/harness/legacy-fixtures';

const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;

describe('legacy /v1: status, login and sessions', () => {
  let bed: LegacyTestbed;

  beforeAll(async () => {
    bed = await LegacyTestbed.start(process.env);
  });

  afterAll(async () => {
    await bed?.close();
  });

  it('answers GET /v1/status as the legacy service', async () => {
    const res = await request(bed.server).get('/v1/status').expect(200);
    expect(res.body).toEqual({ service: 'legacy', version: '1.0.0', balanceWrites: 'enabled' });
  });

  it('is ready when MySQL answers', async () => {
    const res = await request(bed.server).get('/health/ready').expect(200);
    expect(res.body.checks).toEqual({ mysql: 'up' });
  });

  it('logs a seeded user in and shows their profile', async () => {
    const login = await request(bed.server)
      .post('/v1/login')
      .send({ email: 'taro@legacy.paychat.local', password: 'LegacyPass1!' })
      .expect(200);
    expect(login.body).toEqual({
      sessionToken: expect.stringMatching(SESSION_TOKEN),
      userId: expect.any(Number),
      expiresAt: expect.any(String),
    });
    const ttlHours = (Date.parse(login.body.expiresAt) - Date.now()) / 3_600_000;
    expect(ttlHours).toBeGreaterThan(23.9);
    expect(ttlHours).toBeLessThanOrEqual(24);

    const profile = await request(bed.server)
      .get('/v1/profile')
      .set('authorization', `Session ${login.body.sessionToken}`)
      .expect(200);
    expect(profile.body).toEqual({ id: login.body.userId, email: 'taro@legacy.paychat.local', name: '太郎' });
    // A seeded user is shared by every run: end the session rather than leave it behind.
    await request(bed.server)
      .post('/v1/logout')
      .set('authorization', `Session ${login.body.sessionToken}`)
      .expect(204);
  });

  it('gives a wrong password and an unknown email the same 401', async () => {
    const user = await bed.createUser(0);
    const wrongPassword = await request(bed.server)
      .post('/v1/login')
      .send({ email: user.email, password: 'not-the-password' })
      .expect(401);
    const unknownEmail = await request(bed.server)
      .post('/v1/login')
      .send({ email: 'nobody@legacy.test', password: FIXTURE_PASSWORD })
      .expect(401);
    expect(wrongPassword.headers['content-type']).toContain('application/problem+json');
    const { requestId: _a, ...first } = wrongPassword.body;
    const { requestId: _b, ...second } = unknownEmail.body;
    expect(first).toEqual(second);
    expect(first.code).toBe('invalid_credentials');
  });

  it('rejects a login body with an unknown field', async () => {
    const res = await request(bed.server)
      .post('/v1/login')
      .send({ email: 'taro@legacy.paychat.local', password: 'LegacyPass1!', admin: true })
      .expect(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors).toEqual([{ field: 'admin', message: 'unknown field' }]);
  });

  it('shows the balance of a session made by login', async () => {
    const user = await bed.createUser(4321);
    const login = await request(bed.server)
      .post('/v1/login')
      .send({ email: user.email, password: FIXTURE_PASSWORD })
      .expect(200);
    const res = await request(bed.server)
      .get('/v1/balance')
      .set('authorization', `Session ${login.body.sessionToken}`)
      .expect(200);
    expect(res.body).toEqual({ userId: user.id, balance: 4321, currency: 'JPY' });
  });

  it.each([
    ['no header', undefined],
    ['a forged token', `Session ${'A'.repeat(43)}`],
    ['a malformed token', 'Session abc'],
    ['the Bearer scheme', `Bearer ${'A'.repeat(43)}`],
  ])('refuses %s with 401 unauthorized', async (_label, header) => {
    const req = request(bed.server).get('/v1/balance');
    const res = await (header ? req.set('authorization', header) : req).expect(401);
    expect(res.body.code).toBe('unauthorized');
    expect(res.headers['www-authenticate']).toBe('Session');
  });

  it('refuses an expired session', async () => {
    const user = await bed.createUser(0);
    const token = await bed.sessionFor(user.id, new Date(Date.now() - 1000));
    const res = await request(bed.server)
      .get('/v1/profile')
      .set('authorization', `Session ${token}`)
      .expect(401);
    expect(res.body.code).toBe('unauthorized');
  });

  it('ends the session on logout', async () => {
    const user = await bed.createUser(0);
    const auth = `Session ${await bed.sessionFor(user.id)}`;
    await request(bed.server).get('/v1/profile').set('authorization', auth).expect(200);
    await request(bed.server).post('/v1/logout').set('authorization', auth).expect(204);
    await request(bed.server).get('/v1/profile').set('authorization', auth).expect(401);
  });

  describe('sign-in throttle', () => {
    let strict: LegacyTestbed;
    beforeAll(async () => {
      strict = await LegacyTestbed.start({
        ...process.env,
        LOGIN_ATTEMPTS_PER_LOGIN: '2',
        LOGIN_ATTEMPTS_PER_IP: '4',
      });
    });
    afterAll(() => strict.close());
    const login = (email: string) =>
      request(strict.server).post('/v1/login').send({ email, password: 'not-the-password' });

    it('stops guesses at one login, however it is spelt, with 429 and Retry-After', async () => {
      const { email } = await strict.createUser(0);
      const statuses = [];
      for (const e of [email, ` ${email.toUpperCase()}`]) statuses.push((await login(e)).status);
      expect(statuses).toEqual([401, 400]); // the second fails validation, but was an attempt
      const third = await login(email);
      expect([third.status, third.body.code]).toEqual([429, 'rate_limited']);
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('stops guesses from one address across logins', async () => {
      // The previous test's three attempts count against this address too.
      const res = await login(`nobody-${Date.now()}@legacy.test`);
      expect([res.status, (await login(`other-${Date.now()}@legacy.test`)).status]).toEqual([401, 429]);
    });
  });
});
