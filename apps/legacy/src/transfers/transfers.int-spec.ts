import request from 'supertest';
import { FixtureUser, LegacyTestbed } from '../../../../test/harness/legacy-fixtures';

/** Every balance-moving test of the legacy app lives here: the read_only test flips a global setting. */
describe('legacy POST /v1/transfers', () => {
  let bed: LegacyTestbed;

  beforeAll(async () => {
    bed = await LegacyTestbed.start(process.env);
  });

  afterAll(async () => {
    await bed?.close();
  });

  async function pair(fromBalance: number, toBalance: number) {
    const from = await bed.createUser(fromBalance);
    const to = await bed.createUser(toBalance);
    return { from, to, auth: `Session ${await bed.sessionFor(from.id)}` };
  }

  function transfer(auth: string, body: object) {
    return request(bed.server).post('/v1/transfers').set('authorization', auth).send(body);
  }

  async function expectUntouched(from: FixtureUser, to: FixtureUser, fromBalance: number, toBalance: number) {
    expect(await bed.balanceOf(from.id)).toBe(fromBalance);
    expect(await bed.balanceOf(to.id)).toBe(toBalance);
    expect(await bed.transfersFrom(from.id)).toBe(0);
  }

  it('moves money between two users and returns the sender balance', async () => {
    const { from, to, auth } = await pair(5000, 100);
    const res = await transfer(auth, { toEmail: to.email, amount: 1234 }).expect(201);
    expect(res.body).toEqual({ id: expect.any(Number), balance: 3766 });
    expect(await bed.balanceOf(from.id)).toBe(3766);
    expect(await bed.balanceOf(to.id)).toBe(1334);
    expect(await bed.transfersFrom(from.id)).toBe(1);

    const seen = await request(bed.server).get('/v1/balance').set('authorization', auth).expect(200);
    expect(seen.body.balance).toBe(3766);
  });

  it('can spend the whole balance, and refuses 1 yen more with 422 and nothing written', async () => {
    const { from, to, auth } = await pair(500, 0);
    const res = await transfer(auth, { toEmail: to.email, amount: 501 }).expect(422);
    expect(res.body.code).toBe('insufficient_funds');
    await expectUntouched(from, to, 500, 0);
    await transfer(auth, { toEmail: to.email, amount: 500 }).expect(201);
    expect(await bed.balanceOf(from.id)).toBe(0);
  });

  it('answers 404 for an unknown recipient and 422 for yourself', async () => {
    const { from, to, auth } = await pair(1000, 0);
    const unknown = await transfer(auth, { toEmail: 'nobody@legacy.test', amount: 1 }).expect(404);
    expect(unknown.body.code).toBe('recipient_not_found');
    const self = await transfer(auth, { toEmail: from.email.toUpperCase(), amount: 1 }).expect(422);
    expect(self.body.code).toBe('self_transfer');
    await expectUntouched(from, to, 1000, 0);
  });

  it.each([0, -1, 1.5, '100', 1_000_001, 1e300, null])(
    'refuses amount %p with 400 validation_failed',
    async (amount) => {
      const { from, to, auth } = await pair(2_000_000, 0);
      const res = await transfer(auth, { toEmail: to.email, amount }).expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('amount');
      await expectUntouched(from, to, 2_000_000, 0);
    },
  );

  it('refuses an unknown field such as balance', async () => {
    const { to, auth } = await pair(1000, 0);
    const res = await transfer(auth, { toEmail: to.email, amount: 1, balance: 999999 }).expect(400);
    expect(res.body.errors).toEqual([{ field: 'balance', message: 'unknown field' }]);
  });

  it('needs a session', async () => {
    const to = await bed.createUser(0);
    const res = await request(bed.server)
      .post('/v1/transfers')
      .send({ toEmail: to.email, amount: 1 })
      .expect(401);
    expect(res.body.code).toBe('unauthorized');
  });

  it('refuses every write with 503 while balance writes are read-only', async () => {
    const { from, to, auth } = await pair(1000, 0);
    await bed.setBalanceWrites('read_only');
    try {
      const status = await request(bed.server).get('/v1/status').expect(200);
      expect(status.body.balanceWrites).toBe('read_only');
      const res = await transfer(auth, { toEmail: to.email, amount: 10 }).expect(503);
      expect(res.body.code).toBe('service_unavailable');
      await expectUntouched(from, to, 1000, 0);
    } finally {
      await bed.setBalanceWrites('enabled');
    }
    await transfer(auth, { toEmail: to.email, amount: 10 }).expect(201);
  });

  it('keeps the total under concurrent transfers in both directions', async () => {
    const a = await bed.createUser(1000);
    const b = await bed.createUser(1000);
    const authA = `Session ${await bed.sessionFor(a.id)}`;
    const authB = `Session ${await bed.sessionFor(b.id)}`;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2
          ? transfer(authA, { toEmail: b.email, amount: 7 })
          : transfer(authB, { toEmail: a.email, amount: 3 }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(await bed.balanceOf(a.id)).toBe(1000 - 10 * 7 + 10 * 3);
    expect(await bed.balanceOf(b.id)).toBe(1000 + 10 * 7 - 10 * 3);
  });
});
