import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { directConversationId } from '@paychat/contracts';
import { type ReceivedSpan, startOtlpReceiver } from '@paychat/testing';
import { type FullStack, startFullStack } from '../bench/lib/full-stack';
import { bookOpeningBalances, seedUsers } from '../bench/lib/stack';
import { Teardown } from '../bench/lib/teardown';
import { exited, repoRoot } from '../scripts/local/processes';
import { TEST_COGNITO_PORT, testEnv } from './test-env';

/**
 * What an operator sees of the whole stack, on the built apps as processes (OpenTelemetry patches
 * modules as Node requires them, which Jest's module registry bypasses): one transfer in a chat is
 * one trace across gateway, wallet, MySQL, the outbox delivery and messages' DynamoDB write, and
 * the three services' log lines carry its id; each app's /metrics moves by what the workload did.
 */
const SLOT = Number(process.env.TEST_SLOT ?? 0);
const BASE = 26_000 + SLOT * 20;
const APPS = ['gateway', 'wallet', 'messages', 'legacy'] as const;
const metricsPort = (app: (typeof APPS)[number]) => BASE + 10 + APPS.indexOf(app);
const LOG_PREFIX = `observability-test-s${SLOT}`;

/** The sum of a metric's samples whose labels include `labels`, from an app's Prometheus text. */
async function scrape(app: (typeof APPS)[number], name: string, labels: Record<string, string> = {}) {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort(app)}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(match[3]);
  }
  return sum;
}

const logLines = (app: string): Record<string, unknown>[] =>
  readFileSync(join(repoRoot(), '.local', 'bench', `${LOG_PREFIX}-${app}.log`), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const isDb = (s: ReceivedSpan) =>
  s.kind === 3 && (s.attributes['db.system.name'] ?? s.attributes['db.system']);
const isDynamoWrite = (s: ReceivedSpan) =>
  s.kind === 3 &&
  s.service === 'messages' &&
  /DynamoDB\.(TransactWriteItems|PutItem|BatchWriteItem)/.test(s.name);

describe('observability of the whole stack (built apps as processes)', () => {
  const teardown = new Teardown();
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let stack: FullStack;
  let users: { userIds: string[]; tokens: string[] };

  beforeAll(async () => {
    // The apps run with production's defaults (fast path and relay on), not the tests' in-process settings.
    for (const name of Object.keys(testEnv())) delete process.env[name];
    receiver = await startOtlpReceiver();
    teardown.add('OTLP receiver', receiver.close);
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = receiver.url;
    process.env.OTEL_BSP_SCHEDULE_DELAY = '100';
    ({ stack, seeded: users } = await startFullStack({
      ports: {
        gateway: BASE,
        wallet: BASE + 1,
        messages: BASE + 2,
        legacy: BASE + 3,
        dynamo: BASE + 4,
        cognito: TEST_COGNITO_PORT,
      },
      cognitoEndpoint: `http://127.0.0.1:${TEST_COGNITO_PORT}`,
      walletDb: `paychat_observability_test_s${SLOT}`,
      table: `paychat-observability-test-s${SLOT}`,
      logPrefix: LOG_PREFIX,
      appEnv: Object.fromEntries(APPS.map((app) => [app, { METRICS_PORT: String(metricsPort(app)) }])),
      teardown,
      progress: () => undefined,
      seed: async (db, issuer) => {
        const seeded = await seedUsers(db, issuer, 2, 100_000);
        await bookOpeningBalances(db, 100_000);
        return seeded;
      },
    }));
  }, 120_000);
  afterAll(() => teardown.run(), 60_000);

  const chat = () => directConversationId(users.userIds[0], users.userIds[1]);
  /** A transfer in the chat, through the gateway unless `via` names another app's URL. */
  const payInChat = (amount: number, via = stack.gatewayUrl, headers: Record<string, string> = {}) =>
    fetch(`${via}/v2/conversations/${chat()}/transfers`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${users.tokens[0]}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
        ...headers,
      },
      body: JSON.stringify({ amount }),
    });

  /** The spans of trace `traceId`, once every part has arrived (else which parts are missing). */
  const traceOf = async (traceId: string, parts: Record<string, (trace: ReceivedSpan[]) => boolean>) => {
    const spansOf = () => receiver.spans.filter((s) => s.traceId === traceId);
    try {
      return await receiver.until(() => {
        const trace = spansOf();
        return Object.values(parts).every((has) => has(trace)) ? trace : undefined;
      });
    } catch {
      const missing = Object.keys(parts).filter((part) => !parts[part](spansOf()));
      const seen = spansOf().map((s) => `${s.service}:${s.kind}:${s.name}`);
      throw new Error(`trace ${traceId} lacks ${missing.join(', ')}; it has ${JSON.stringify(seen)}`);
    }
  };

  it('one transfer in a chat is one trace: gateway → wallet → MySQL → outbox delivery → messages → DynamoDB, and the three services log its id', async () => {
    const res = await payInChat(100);
    expect(res.status).toBe(201);
    // The edge starts the trace (it never adopts a client's) and its id is the request id.
    const requestId = res.headers.get('x-request-id')!;
    expect(requestId).toMatch(/^[0-9a-f]{32}$/);

    const trace = await traceOf(requestId, {
      gateway: (t) => t.some((s) => s.service === 'gateway' && s.kind === 2),
      wallet: (t) => t.some((s) => s.service === 'wallet' && s.kind === 2),
      mysql: (t) => t.some((s) => s.service === 'wallet' && isDb(s)),
      delivery: (t) => t.some((s) => s.service === 'wallet' && s.kind === 4),
      messages: (t) => t.some((s) => s.service === 'messages' && s.kind === 2),
      dynamo: (t) => t.some(isDynamoWrite),
    });
    // The wallet's server span is a child of the gateway's proxy call, messages' of the delivery.
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const walletServer = trace.find((s) => s.service === 'wallet' && s.kind === 2)!;
    expect(byId.get(walletServer.parentSpanId!)?.service).toBe('gateway');
    // Named by its route template, never the raw path (a chat id).
    expect(walletServer).toMatchObject({
      name: 'POST /v2/conversations/:id/transfers',
      attributes: { 'http.route': '/v2/conversations/:id/transfers' },
    });
    const delivery = trace.find((s) => s.service === 'wallet' && s.kind === 4)!;
    const messagesServer = trace.find((s) => s.service === 'messages' && s.kind === 2)!;
    expect(byId.get(messagesServer.parentSpanId!)?.service).toBe('wallet');
    expect(
      trace.some((s) => s.spanId === messagesServer.parentSpanId && s.traceId === delivery.traceId),
    ).toBe(true);

    for (const app of ['gateway', 'wallet', 'messages'])
      expect({ app, logged: logLines(app).some((l) => l.trace_id === requestId) }).toEqual({
        app,
        logged: true,
      });
  });

  it('behind the edge a request the edge did not sample, or that carries no trace, is not traced, nor is what its transfer sends to the chat', async () => {
    const hex = () => randomUUID().replace(/-/g, '');
    const wallet = (requestId: string, traceparent?: string) =>
      fetch(`${stack.instances.wallet[0].url}/v2/wallet`, {
        headers: {
          authorization: `Bearer ${users.tokens[0]}`,
          'x-request-id': requestId,
          ...(traceparent ? { traceparent } : {}),
        },
      });
    const [unsampled, untraced, sampled] = [hex(), hex(), hex()];
    expect((await wallet(unsampled, `00-${unsampled}-${hex().slice(0, 16)}-00`)).status).toBe(200);
    expect((await wallet(untraced)).status).toBe(200);
    expect((await wallet(sampled, `00-${sampled}-${hex().slice(0, 16)}-01`)).status).toBe(200);
    // The sampled one's spans arrive (its server span and its SQL); the two before it left none.
    await traceOf(sampled, {
      server: (t) => t.some((s) => s.service === 'wallet' && s.kind === 2),
      mysql: (t) => t.some((s) => s.service === 'wallet' && isDb(s)),
    });
    expect(receiver.spans.filter((s) => s.traceId === unsampled)).toEqual([]);
    // No span at all was in their context (not even an unrecorded one): their log lines carry no trace id.
    const accessLine = async (requestId: string) =>
      receiver.until(() => logLines('wallet').find((l) => l.requestId === requestId && l.res));
    expect((await accessLine(sampled)).trace_id).toBe(sampled);
    for (const requestId of [unsampled, untraced])
      expect({ requestId, traceId: (await accessLine(requestId)).trace_id }).toEqual({
        requestId,
        traceId: undefined,
      });

    // An unsampled transfer in a chat: the wallet's fast path hands its event to messages at once,
    // and that delivery starts no trace of its own (messages logs it under the request's id, untraced).
    const transfer = hex();
    const res = await payInChat(100, stack.instances.wallet[0].url, {
      'x-request-id': transfer,
      traceparent: `00-${transfer}-${hex().slice(0, 16)}-00`,
    });
    expect(res.status).toBe(201);
    const delivered = await receiver.until(() =>
      logLines('messages').find((l) => l.requestId === transfer && l.res),
    );
    expect(delivered.trace_id).toBeUndefined();
  });

  it('an event the relay delivers later (messages was down) is a trace of its own, linked to the request that wrote it', async () => {
    const messages = stack.instances.messages[0];
    const child = messages.child();
    child.kill('SIGKILL');
    await exited(child);
    const res = await payInChat(200);
    expect(res.status).toBe(201);
    const requestId = res.headers.get('x-request-id')!;
    // Past the fast path's lease: from here the relay owns the event.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    await messages.start();

    // The relay may try while messages is still starting (a failed attempt is its own trace too):
    // the attempt that delivered is a trace of its own, linked to the request, reaching DynamoDB.
    const delivered = await receiver.until((spans) =>
      spans.find(
        (s) =>
          s.service === 'wallet' &&
          s.kind === 4 &&
          s.traceId !== requestId &&
          s.links.some((l) => l.traceId === requestId) &&
          spans.some((m) => m.traceId === s.traceId && m.service === 'messages' && m.kind === 2) &&
          spans.some((m) => m.traceId === s.traceId && isDynamoWrite(m)),
      ),
    );
    expect(delivered.links.map((l) => l.traceId)).toContain(requestId);
  }, 60_000);

  it('each app’s /metrics moves by what a known workload did, and the outbox backlog returns to 0', async () => {
    const drained = async () => {
      for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
        if ((await scrape('wallet', 'wallet_outbox_backlog_events')) === 0) return;
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    await drained(); // nothing of the earlier tests still on its way
    const before = {
      completed: await scrape('wallet', 'wallet_transfers_total', { result: 'completed' }),
      refused: await scrape('wallet', 'wallet_transfers_total', { result: 'insufficient_funds' }),
      applied: await scrape('messages', 'messages_events_applied_total', { result: 'applied' }),
      edge: await scrape('gateway', 'http_server_request_duration_seconds_count', { method: 'POST' }),
    };
    for (let i = 0; i < 5; i++) expect((await payInChat(10)).status).toBe(201);
    expect((await payInChat(1_000_000)).status).toBe(422);

    expect(await scrape('wallet', 'wallet_transfers_total', { result: 'completed' })).toBe(
      before.completed + 5,
    );
    expect(await scrape('wallet', 'wallet_transfers_total', { result: 'insufficient_funds' })).toBe(
      before.refused + 1,
    );
    expect(await scrape('gateway', 'http_server_request_duration_seconds_count', { method: 'POST' })).toBe(
      before.edge + 6,
    );
    for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
      const backlog = await scrape('wallet', 'wallet_outbox_backlog_events');
      const applied = await scrape('messages', 'messages_events_applied_total', { result: 'applied' });
      if (backlog === 0 && applied === before.applied + 5) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await scrape('wallet', 'wallet_outbox_backlog_events')).toBe(0);
    expect(await scrape('messages', 'messages_events_applied_total', { result: 'applied' })).toBe(
      before.applied + 5,
    );
    // Legacy answers the gateway's readiness probes; its own metrics say so.
    expect(
      await scrape('legacy', 'http_server_request_duration_seconds_count', { route: '/health/ready' }),
    ).toBeGreaterThan(0);
  }, 60_000);
});
