import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { callJson, mintAccessToken } from '@paychat/testing';
import { gatewaysUnderTest } from '../testing/gateways-under-test';

/** What the in-flight caps show: the long-polls held open, and the refusals by the cap they hit. */
describe('in-flight caps, as metrics', () => {
  /** Answers held by the upstream until `answerHeld()`: requests that stay in flight meanwhile. */
  const held: ServerResponse[] = [];
  const gateways = gatewaysUnderTest((req, res) => {
    if (req.url.includes('hold=1')) held.push(res);
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  afterAll(() => gateways.stop());

  const answerHeld = () => held.splice(0).forEach((res) => res.writeHead(200).end('{}'));
  /** Resolves once the upstream holds `n` requests (each has reached it through the gateway). */
  const holding = async (n: number) => {
    while (held.length < n) await new Promise((r) => setTimeout(r, 10));
  };
  const token = () => mintAccessToken({ claims: { sub: randomUUID(), username: 'someone' } });

  it('a long-poll raises the gauge while it waits, back to 0 once answered; one over the cap is counted', async () => {
    const url = await gateways.start({ LONG_POLL_MAX_PER_USER: '1' });
    const metrics = gateways.metrics(url);
    const longPolls = () => metrics.valueOf('gateway_long_polls_in_flight');
    const alice = await token();
    const poll = () =>
      callJson(url, 'GET', '/v2/conversations/c1/messages?after=c1.1&waitSeconds=20&hold=1', {
        token: alice,
      });

    const waiting = poll();
    await holding(1);
    expect(await longPolls()).toBe(1);
    const second = await poll();
    expect([second.status, second.body.code]).toEqual([429, 'too_many_in_flight']);
    expect(await metrics.valueOf('gateway_in_flight_rejections_total', { scope: 'long_poll' })).toBe(1);
    expect(await longPolls()).toBe(1);

    answerHeld();
    expect((await waiting).status).toBe(200);
    expect(await longPolls()).toBe(0);
  });

  it('counts a request over the per-user cap as scope user, and one over the instance cap as instance', async () => {
    const url = await gateways.start({ EDGE_MAX_IN_FLIGHT: '2', EDGE_MAX_IN_FLIGHT_PER_USER: '1' });
    const metrics = gateways.metrics(url);
    const [alice, bob, carol] = await Promise.all([token(), token(), token()]);
    const get = (t: string) => callJson(url, 'GET', '/v2/wallet?hold=1', { token: t });

    const inFlight = [get(alice)];
    await holding(1);
    expect((await get(alice)).status).toBe(429); // alice has one in flight already
    inFlight.push(get(bob));
    await holding(2);
    expect((await get(carol)).status).toBe(429); // the instance has two
    expect(await metrics.valueOf('gateway_in_flight_rejections_total', { scope: 'user' })).toBe(1);
    expect(await metrics.valueOf('gateway_in_flight_rejections_total', { scope: 'instance' })).toBe(1);
    answerHeld();
    await Promise.all(inFlight);
  });
});
