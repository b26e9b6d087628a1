import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@paychat/config';
import { callJson, listenOnFreePort, mintAccessToken } from '@paychat/testing';
import { buildGateway } from '../../apps/gateway/src/build-gateway';
import { GatewayEnv } from '../../apps/gateway/src/gateway.env';
import { holdingUpstream, timed, upload } from '../../apps/gateway/src/testing/hostile-client';

const MiB = 1024 * 1024;
/** Generous: the point is "answers", not "fast"; a pinned upstream never answers at all. */
const PROMPT_MS = 5_000;
const LONG_POLL = '/v2/conversations/c-1/messages?after=m-1&waitSeconds=25';

const tokenOf = (sub: string) => mintAccessToken({ claims: { sub, username: sub } });
const from = (ip: string) => ({ 'x-forwarded-for': ip });
const until = async (check: () => boolean | Promise<boolean>, what: string) => {
  for (const deadline = Date.now() + PROMPT_MS; !(await check());)
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    else await new Promise((r) => setTimeout(r, 25));
};

/**
 * A hostile client against the gateway (one stand-in upstream behind every service, which holds
 * long-polls and the `/slow` path until released): it must not pin an upstream for everyone, nor
 * hold more than its caps, nor cost the gateway memory in proportion to what it sends.
 */
describe('hostile clients: capacity', () => {
  const upstream = holdingUpstream((url) => url.includes('waitSeconds=') || url.includes('/slow'));
  const apps: NestFastifyApplication[] = [];

  async function gateway(env: Record<string, string> = {}): Promise<string> {
    const url = await upstreamUrl;
    const app = await buildGateway(
      loadConfig(GatewayEnv, {
        ...process.env,
        TRUST_PROXY_HOPS: '1', // as behind the ALB: X-Forwarded-For names each test client
        WALLET_URL: url,
        MESSAGES_URL: url,
        LEGACY_URL: url,
        ...env,
      }),
    );
    apps.push(app);
    return listenOnFreePort(app);
  }
  const upstreamUrl = upstream.start();

  afterEach(() => upstream.release());
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await upstream.stop();
  });

  /** Another user's read and money POST on the upstream under attack both answer, and promptly. */
  async function othersAnswer(url: string, paths: { read: string; write: string }) {
    const token = await tokenOf('bystander');
    const opts = { token, headers: { ...from('10.9.9.9'), 'idempotency-key': 'k' } };
    const read = await timed(() => callJson(url, 'GET', paths.read, opts));
    const write = await timed(() => callJson(url, 'POST', paths.write, { ...opts, body: { amount: 1 } }));
    expect([read.result.status, write.result.status]).toEqual([200, 200]);
    expect(Math.max(read.ms, write.ms)).toBeLessThan(PROMPT_MS);
    return [read.ms, write.ms];
  }

  it('300 bodies that never finish tie up no upstream connection: others read and pay as usual', async () => {
    // Caps out of the way: what is tested is that a body is read whole before an upstream is asked.
    const url = await gateway({
      EDGE_MAX_IN_FLIGHT: '1000',
      EDGE_MAX_IN_FLIGHT_PER_IP: '1000',
      EDGE_MAX_IN_FLIGHT_PER_USER: '1000',
    });
    const token = await tokenOf('slowloris');
    const uploads = Array.from({ length: 300 }, () =>
      upload(`${url}/v2/wallet/transfers`, {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'content-length': String(MiB),
        ...from('10.6.6.6'),
      }),
    );
    try {
      await Promise.all(uploads.map((u) => u.send(1))); // a first 64 KiB chunk, then nothing
      const server = apps.at(-1)!.getHttpServer();
      await until(
        () => new Promise<boolean>((r) => server.getConnections((_e: unknown, n: number) => r(n >= 300))),
        'the 300 uploads to connect',
      );
      console.log(
        'unfinished bodies: others answered in ms',
        await othersAnswer(url, { read: '/v2/wallet', write: '/v2/wallet/transfers' }),
      );
    } finally {
      for (const u of uploads) u.destroy();
    }
  });

  it('300 long-polls wait on their own pool: others read, write and pay on the same upstream as usual', async () => {
    const url = await gateway();
    const polls = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const abort = new AbortController();
        const token = await tokenOf(`poller-${i}`);
        void fetch(`${url}${LONG_POLL}`, {
          headers: { authorization: `Bearer ${token}` },
          signal: abort.signal,
        }).catch(() => undefined);
        return abort;
      }),
    );
    try {
      await until(() => upstream.held() === 300, 'the 300 long-polls to reach the upstream');
      const messages = { read: '/v2/conversations/c-1/messages', write: '/v2/conversations/c-1/messages' };
      const money = { read: '/v2/conversations', write: '/v2/conversations/c-1/transfers' };
      console.log(
        'long-polls: others answered in ms',
        await othersAnswer(url, messages),
        await othersAnswer(url, money),
      );
    } finally {
      for (const p of polls) p.abort();
    }
  });

  it('caps what one user and one address hold in flight: 429 too_many_in_flight at once, body unread', async () => {
    const url = await gateway({ EDGE_MAX_IN_FLIGHT_PER_USER: '3', EDGE_MAX_IN_FLIGHT_PER_IP: '5' });
    const [alice, bob] = await Promise.all([tokenOf('alice'), tokenOf('bob')]);
    const slow = (token: string, ip: string, signal?: AbortSignal) =>
      fetch(`${url}/v2/wallet/slow`, { headers: { authorization: `Bearer ${token}`, ...from(ip) }, signal });

    const alices = [1, 2, 3].map(() => slow(alice, `10.1.0.1`));
    await until(() => upstream.held() === 3, "alice's 3 requests to reach the upstream");
    // Over alice's cap from another address, with a 1 MiB body announced and never sent.
    const over = upload(`${url}/v2/wallet/transfers`, {
      authorization: `Bearer ${alice}`,
      'content-length': String(MiB),
      ...from('10.1.0.2'),
    });
    expect(await over.answer).toBe(429);
    const problem = await callJson(url, 'GET', '/v2/wallet', { token: alice, headers: from('10.1.0.3') });
    expect([problem.status, problem.body.code, problem.headers.get('retry-after')]).toEqual([
      429,
      'too_many_in_flight',
      '1',
    ]);
    expect((await callJson(url, 'GET', '/v2/wallet', { token: bob, headers: from('10.1.0.1') })).status).toBe(
      200,
    );

    // Per address: alice's 3 and bob's 2 fill 10.1.0.1; a third user from there is refused.
    const bobs = [1, 2].map(() => slow(bob, '10.1.0.1'));
    await until(() => upstream.held() === 5, "bob's 2 requests to reach the upstream");
    const carol = await callJson(url, 'GET', '/v2/wallet', {
      token: await tokenOf('carol'),
      headers: from('10.1.0.1'),
    });
    expect([carol.status, carol.body.code]).toEqual([429, 'too_many_in_flight']);

    // Answers finished: every slot is free again.
    upstream.release();
    await Promise.all([...alices, ...bobs]);
    await until(
      async () =>
        (await callJson(url, 'GET', '/v2/wallet', { token: alice, headers: from('10.1.0.1') })).status ===
        200,
      'slots freed',
    );
  });

  it('a client that leaves frees its slots and cancels its upstream call', async () => {
    const url = await gateway({ EDGE_MAX_IN_FLIGHT_PER_USER: '2', LONG_POLL_MAX_PER_USER: '2' });
    const token = await tokenOf('quitter');
    const abort = new AbortController();
    const headers = { authorization: `Bearer ${token}`, ...from('10.2.0.1') };
    const calls = ['/v2/wallet/slow', '/v2/wallet/slow', LONG_POLL, LONG_POLL].map((path) =>
      fetch(`${url}${path}`, { headers, signal: abort.signal }).catch(() => undefined),
    );
    await until(() => upstream.held() === 4, 'the 4 requests to reach the upstream');
    const full = await Promise.all(
      ['/v2/wallet', LONG_POLL].map((path) =>
        callJson(url, 'GET', path, { token, headers: from('10.2.0.1') }),
      ),
    );
    expect(full.map((r) => [r.status, r.body.code])).toEqual(Array(2).fill([429, 'too_many_in_flight']));

    const droppedBefore = upstream.dropped();
    abort.abort();
    await Promise.all(calls);
    await until(() => upstream.dropped() === droppedBefore + 4, 'the upstream calls to be cancelled');
    await until(
      async () =>
        (await callJson(url, 'GET', '/v2/wallet', { token, headers: from('10.2.0.1') })).status === 200,
      'slots freed',
    );
    // Both long-poll slots are free again too (answered at once: the upstream is released below).
    const again = ['/v2/wallet/slow', LONG_POLL, LONG_POLL].map((path) =>
      fetch(`${url}${path}`, { headers }).then((r) => r.status),
    );
    await until(() => upstream.held() === 3, 'the new requests to reach the upstream');
    upstream.release();
    expect(await Promise.all(again)).toEqual([200, 200, 200]);
  });

  it('300 MB bodies, with a token or without, cost the gateway little memory and end in 413 / 401', async () => {
    const url = await gateway();
    const token = await tokenOf('uploader');
    const offer = async (auth: Record<string, string>) => {
      const u = upload(`${url}/v2/wallet/transfers`, { 'content-type': 'application/json', ...auth });
      void u.send(300 * MiB);
      const status = await u.answer;
      u.destroy();
      return status;
    };
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      const withToken = Array.from({ length: 4 }, () => offer({ authorization: `Bearer ${token}` }));
      const without = Array.from({ length: 4 }, () => offer({}));
      expect(await Promise.all(withToken)).toEqual(Array(4).fill(413));
      expect(await Promise.all(without)).toEqual(Array(4).fill(401));
    } finally {
      clearInterval(sampler);
    }
    console.log(`300 MB bodies ×8: RSS grew ${Math.round((peak - before) / MiB)} MiB at peak`);
    expect(peak - before).toBeLessThan(100 * MiB);
  });
});
