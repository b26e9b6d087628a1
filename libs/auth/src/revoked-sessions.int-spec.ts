import { randomUUID } from 'node:crypto';
import type { FailFastRedis } from '@paychat/platform';
import { RevokedSessions } from './revoked-sessions';

const REDIS_URL = process.env.REDIS_URL!;
const inAMinute = () => Date.now() + 60_000;

/** Polls until `check` holds (pub/sub is asynchronous), failing after `ms`. */
async function eventually(check: () => boolean, ms = 3_000): Promise<void> {
  for (const until = Date.now() + ms; !check(); await new Promise((r) => setTimeout(r, 20)))
    if (Date.now() > until) throw new Error('condition not met in time');
}

const connected = (sessions: RevokedSessions) =>
  eventually(() => {
    const { cmd, sub } = (sessions as unknown as { redis: { cmd: FailFastRedis; sub: FailFastRedis } }).redis;
    return cmd.state.up && sub.state.up;
  });

describe('revoked sessions (shared through Redis, checked locally)', () => {
  const opened: RevokedSessions[] = [];
  const open = async (url = REDIS_URL, waitForRedis = true) => {
    const sessions = new RevokedSessions({ REDIS_URL: url });
    opened.push(sessions);
    if (waitForRedis) await connected(sessions);
    return sessions;
  };
  afterAll(() => Promise.all(opened.map((s) => s.onModuleDestroy())));

  it('tells every instance within moments, and an instance started later too', async () => {
    const [a, b] = await Promise.all([open(), open()]);
    const id = randomUUID();
    await a.revoke(id, inAMinute());
    expect(a.isRevoked(id)).toBe(true);
    await eventually(() => b.isRevoked(id));
    const later = await open();
    await eventually(() => later.isRevoked(id));
    expect(a.isRevoked(randomUUID())).toBe(false);
  });

  it('forgets a session once its tokens have expired', async () => {
    const a = await open();
    const id = randomUUID();
    // Long enough that sharing the revocation through Redis ends well before it (a loaded machine
    // took over 150 ms), short enough for a test.
    const expiresAt = Date.now() + 2000;
    await a.revoke(id, expiresAt);
    expect(a.isRevoked(id)).toBe(true);
    await new Promise((r) => setTimeout(r, expiresAt - Date.now() + 50));
    expect(a.isRevoked(id)).toBe(false);
  });

  it('with Redis down, still refuses here at once, and shares the revocation once Redis is back', async () => {
    const down = await open('redis://127.0.0.1:1', false);
    const id = randomUUID();
    await expect(down.revoke(id, inAMinute())).resolves.toBeUndefined();
    expect(down.isRevoked(id)).toBe(true);

    const a = await open();
    const { cmd } = (a as unknown as { redis: { cmd: FailFastRedis } }).redis;
    cmd.client.disconnect();
    const later = randomUUID();
    await a.revoke(later, inAMinute());
    expect(a.isRevoked(later)).toBe(true);
    const b = await open();
    expect(b.isRevoked(later)).toBe(false);
    await cmd.client.connect();
    await eventually(() => b.isRevoked(later));
  });

  it('without REDIS_URL, keeps revocations in memory', async () => {
    const local = new RevokedSessions({});
    const id = randomUUID();
    await local.revoke(id, inAMinute());
    expect(local.isRevoked(id)).toBe(true);
    expect(local.isRevoked(undefined)).toBe(false);
  });
});
