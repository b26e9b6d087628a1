import { randomUUID } from 'node:crypto';
import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { callJson } from '@paychat/testing';
import { WalletHarness } from '../../../test/harness/wallet-harness';

/** The request id and the user, as operators join logs by them across services. */
describe('the request’s id and user in what it writes and logs', () => {
  let w: WalletHarness;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    w = await WalletHarness.start({ LOG_LEVEL: 'warn' }); // quiet while it starts
    // Every logger of the app (children included) writes to the root's stream: captured, not printed.
    const stream = (PinoLogger.root as unknown as Record<symbol, { write: (s: string) => void }>)[
      pino.symbols.streamSym
    ];
    jest.spyOn(stream, 'write').mockImplementation((line: string) => {
      lines.push(JSON.parse(line) as Record<string, unknown>);
      return true;
    });
    PinoLogger.root.level = 'info'; // the access log's level
  });
  afterAll(() => w.stop());

  it('keeps the caller’s x-request-id, stores it on the event the transfer writes, and logs the wallet’s user id', async () => {
    const [alice, bob] = [await w.user(1_000), await w.user()];
    const requestId = `test-${randomUUID()}`;
    const res = await callJson(w.url, 'POST', '/v2/wallet/transfers', {
      token: alice.token,
      body: { toUserId: bob.userId, amount: 10 },
      headers: { 'idempotency-key': randomUUID(), 'x-request-id': requestId },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe(requestId);
    const [[row]] = (await w.db.query('SELECT request_id FROM outbox WHERE aggregate_id = ?', [
      res.body.id,
    ])) as unknown as [[{ request_id: string }]];
    expect(row.request_id).toBe(requestId);

    const logged = lines.find((l) => l.requestId === requestId && l.msg === 'request completed');
    // The wallet's own user id (a ULID), the one every service logs — not the token's Cognito sub.
    expect(logged).toMatchObject({ service: 'wallet', userId: alice.userId });
    expect(alice.userId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });
});
