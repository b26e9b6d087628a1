import { randomUUID } from 'node:crypto';
import { BaseEnv, loadConfig } from '@paychat/config';
import { ServiceKeys, signRequest } from '@paychat/signing';
import { checkLedger, HEALTHY } from '../testing/ledger-invariants';
import { TestWalletUser, WalletHarness } from '../../../../test/harness/wallet-harness';
import { AtmSessions } from './atm-sessions';

describe('ATM sessions (AtmGateway: signed confirmations from the ATM network)', () => {
  let w: WalletHarness;
  beforeAll(async () => (w = await WalletHarness.start()));
  afterAll(() => w.stop());

  const start = (u: TestWalletUser, kind: string, amount: number) =>
    w.call('POST', '/v2/wallet/atm-sessions', { token: u.token, key: randomUUID(), body: { kind, amount } });

  const path = '/internal/atm/confirmations';
  const atmKey = ServiceKeys.parse(loadConfig(BaseEnv).INTERNAL_SECRETS, 'atm-network').signingKey('wallet');
  const send = async (body: string, headers: Record<string, string>) => {
    const res = await fetch(`${w.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /** What the ATM network sends, signed with its atm-network→wallet secret. */
  const confirm = (code: unknown, outcome = 'approved', reference = randomUUID(), signed = true) => {
    const body = JSON.stringify({ code, outcome, reference });
    return send(body, signed ? signRequest(atmKey, { method: 'POST', path, body }) : {});
  };

  it('a charge moves nothing until the network confirms; a resent confirmation posts once', async () => {
    const u = await w.user();
    const session = await start(u, 'charge', 5_000);
    expect(session.status).toBe(201);
    expect(session.body).toMatchObject({
      kind: 'charge',
      status: 'pending',
      code: expect.stringMatching(/^\d{8}$/),
    });
    expect(await w.balance(u)).toBe(0);
    const reference = randomUUID();
    expect((await confirm(session.body.code, 'approved', reference)).body).toMatchObject({
      status: 'completed',
    });
    expect((await confirm(session.body.code, 'approved', reference)).body).toMatchObject({
      status: 'completed',
    });
    expect(await w.balance(u)).toBe(5_000);
    expect(await w.count('SELECT COUNT(*) n FROM postings WHERE op_id = ?', [session.body.id])).toBe(2);
    expect((await confirm(session.body.code)).status).toBe(404); // a code works once
  });

  it('refuses an unsigned confirmation', async () => {
    const u = await w.user();
    const session = await start(u, 'charge', 1_000);
    expect((await confirm(session.body.code, 'approved', randomUUID(), false)).status).toBe(401);
    expect(await w.balance(u)).toBe(0);
  });

  it('refuses a captured confirmation sent again (401), however idempotent the route is', async () => {
    const u = await w.user();
    const session = await start(u, 'charge', 1_000);
    const body = JSON.stringify({ code: session.body.code, outcome: 'approved', reference: randomUUID() });
    const headers = signRequest(atmKey, { method: 'POST', path, body });
    expect((await send(body, headers)).body).toMatchObject({ status: 'completed' });
    expect(await send(body, headers)).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
  });

  it('a withdrawal holds the amount until confirmed; declines and expiry release it', async () => {
    const u = await w.user(10_000, { verified: true });
    const first = await start(u, 'withdrawal', 3_000);
    expect(await w.balance(u)).toBe(7_000);
    await confirm(first.body.code, 'approved');
    expect(await w.balance(u)).toBe(7_000);

    const declined = await start(u, 'withdrawal', 2_000);
    expect(await w.balance(u)).toBe(5_000);
    await confirm(declined.body.code, 'declined');
    expect(await w.balance(u)).toBe(7_000);

    const forgotten = await start(u, 'withdrawal', 1_000);
    await w.db.query(
      'UPDATE atm_sessions SET expires_at = CURRENT_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = ?',
      [forgotten.body.id],
    );
    expect((await confirm(forgotten.body.code)).status).toBe(404);
    expect(await w.app.get(AtmSessions).expireDue()).toBeGreaterThanOrEqual(1);
    expect(await w.balance(u)).toBe(7_000);
    expect(await checkLedger(w.db)).toEqual(HEALTHY);
  });

  it('checks the maximum balance under the lock when a charge is confirmed: over it, the ATM is told to decline', async () => {
    const u = await w.user();
    const sessions = [];
    for (let i = 0; i < 11; i++) sessions.push((await start(u, 'charge', 100_000)).body);
    const refs = sessions.map(() => randomUUID());
    const answers = [];
    for (const [i, s] of sessions.entries()) answers.push(await confirm(s.code, 'approved', refs[i]));
    expect(answers.slice(0, 10).map((a) => a.body.status)).toEqual(Array(10).fill('completed'));
    expect(answers[10]).toMatchObject({
      status: 200,
      body: { id: sessions[10].id, status: 'failed', failureReason: 'limit_exceeded' },
    });
    // The network resends its confirmation: the same answer, nothing applied twice.
    const resent = await confirm(sessions[10].code, 'approved', refs[10]);
    expect(resent.body).toMatchObject({ status: 'failed', failureReason: 'limit_exceeded' });
    expect(await w.balance(u)).toBe(1_000_000);
    expect(await w.count('SELECT COUNT(*) n FROM postings WHERE op_id = ?', [sessions[10].id])).toBe(0);
    expect(await checkLedger(w.db)).toEqual(HEALTHY);
  });

  it('requires KYC for ATM withdrawals and validates the request', async () => {
    const u = await w.user(5_000);
    expect((await start(u, 'withdrawal', 1_000)).body.code).toBe('kyc_required');
    expect((await start(u, 'transfer', 1_000)).status).toBe(400);
    expect((await start(u, 'charge', 0)).status).toBe(400);
  });
});
