/**
 * `npm run bench:stack`: the whole stack as users meet it — gateway → wallet (outbox relay on) →
 * messages → DynamoDB Local, with accounts that have a month of history. Phases:
 *   1. transfers/s through the gateway (uniform pairs; payments into one merchant) beside the same
 *      SQL from raw mysql2, and that SQL followed by the chat message's DynamoDB write;
 *   2. chat transfers at a fixed rate (80% of phase 1's): the lag until the recipient's long-poll
 *      shows each one;
 *   3. GET /v2/wallet for accounts with and without history;
 *   4. transfers on accounts with history ÷ on fresh ones;
 *   5. the cost of tracing: the stack's apps (untraced) and a second set on a copy of the stores
 *      serve uniform transfers side by side at the same rate; the second set is untraced too (the
 *      control), then exports one trace in ten (as in production), then every span: CPU per
 *      transfer of each set's apps and of everything else, and the throughput ratio that follows.
 * Then the ledger check and exactly-once chat messages. One table at the end; the figures also go
 * to .local/bench/stack.json, the apps' logs to .local/bench/stack-<app>.log. Not a test.
 * Settings (env): BENCH_SECONDS per measurement, BENCH_CONNECTIONS, BENCH_USERS (with history, and as
 * many fresh), BENCH_HISTORY (transfers out per user this month), BENCH_CHATS and BENCH_BACKLOG (the
 * long-polled chats of phase 2), BENCH_CHAT_WAIT_SECONDS, BENCH_DRAIN_SECONDS; MYSQL_URL, REDIS_URL.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import mysql from 'mysql2/promise';
import { checkLedger } from '../apps/wallet/src/testing/ledger-invariants';
import { repoRoot } from '../scripts/local/processes';
import { Api, inParallel } from './lib/api';
import { Chat, ChatWatchers, countTransferMessages, fillBacklog, openChats, Users } from './lib/chats';
import { appSet, copyStores, startApps, startFullStack } from './lib/full-stack';
import { seedHistory } from './lib/history';
import { Figure, loadHttp, loadPaced, loadRaw, meanFigure, moneyPost, percentile } from './lib/measure';
import { ADMIN_URL, bookOpeningBalances, pick, seedUsers, walletRuntimeUrl } from './lib/stack';
import { Teardown } from './lib/teardown';
import { describeTracing, measureTracingCost, TRACING_SETTINGS } from './lib/tracing-cost';
import { RawMessages } from './messages-raw';
import { RawWallet } from './wallet-raw';

const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
/** Users with a month of history, and as many fresh ones (each set in pairs of friends). */
const USERS = setting('BENCH_USERS', 400);
const HISTORY = setting('BENCH_HISTORY', 1000);
const CONNECTIONS = setting('BENCH_CONNECTIONS', 32);
/** Per measurement (this bench makes fifteen of them). */
const SECONDS = setting('BENCH_SECONDS', 8);
/** Chats whose recipient long-polls in phase 2, and the messages already in each. */
const CHATS = setting('BENCH_CHATS', 50);
const BACKLOG = Math.max(1, setting('BENCH_BACKLOG', 10));
const CHAT_WAIT_SECONDS = setting('BENCH_CHAT_WAIT_SECONDS', 90);
const DRAIN_SECONDS = setting('BENCH_DRAIN_SECONDS', 60);
/** Phase 2's offered rate as a share of phase 1's uniform transfer rate through the gateway. */
const CHAT_LOAD = 0.8;

const DB = 'paychat_bench_stack_wallet';
const TABLE = 'paychat-bench-stack';
const PORTS = {
  dynamo: 28002,
  cognito: 29333,
  gateway: 23400,
  wallet: 23401,
  messages: 23402,
  legacy: 23403,
};
/** Phase 5's second app set, on the same stores. */
const SECOND_PORTS = { gateway: 23410, wallet: 23411, messages: 23412, legacy: 23413 };
const OPENING = 10_000_000;
const MERCHANT = '01BENCHSTACKMERCHANT000000';
const OUT = join(repoRoot(), '.local', 'bench', 'stack.json');

const t0 = Date.now();
const progress = (line: string) =>
  process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
const rate = (f: Figure) =>
  `${f.perSecond.toFixed(0)}/s, p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms` +
  (f.errors ? `, ${f.errors} errors${f.firstError ? ` (first: ${f.firstError.slice(0, 200)})` : ''}` : '');

interface Seeded {
  users: Users;
  accountIds: string[];
  historyTransfers: number;
}

/** Users 0…USERS-1 have history, USERS…2·USERS-1 are fresh; 2i and 2i+1 are friends. */
async function seed(db: mysql.Connection, issuer: string): Promise<Seeded> {
  const users = await seedUsers(db, issuer, 2 * USERS, OPENING);
  await bookOpeningBalances(db, OPENING);
  await db.query(`INSERT INTO merchants (id, name) VALUES (?, 'Bench Stack Mart')`, [MERCHANT]);
  await db.query(`INSERT INTO accounts (kind, owner_id) VALUES ('merchant', ?)`, [MERCHANT]);
  const [rows] = (await db.query(`SELECT id, owner_id FROM accounts WHERE kind = 'user'`)) as unknown as [
    { id: string; owner_id: string }[],
  ];
  const accountOf = new Map(rows.map((r) => [r.owner_id, String(r.id)]));
  const accountIds = users.userIds.map((u) => accountOf.get(u)!);
  const members = accountIds.slice(0, USERS).map((accountId, i) => ({ accountId, userId: users.userIds[i] }));
  const historyTransfers = await seedHistory(db, members, HISTORY);
  return { users, accountIds, historyTransfers };
}

/** Waits until the relay has delivered every event (or stops progressing, or `maxSeconds` pass). */
async function drainOutbox(db: mysql.Connection, maxSeconds: number) {
  const pending = async () =>
    Number(
      (
        (await db.query('SELECT COUNT(*) AS n FROM outbox WHERE delivered_at IS NULL')) as unknown as [
          [{ n: string }],
        ]
      )[0][0].n,
    );
  const start = Date.now();
  const backlog = await pending();
  let left = backlog;
  let lastProgress = start;
  while (left > 0 && Date.now() - start < maxSeconds * 1000 && Date.now() - lastProgress < 10_000) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await pending();
    if (now < left) lastProgress = Date.now();
    left = now;
  }
  const seconds = (Date.now() - start) / 1000;
  if (backlog)
    progress(`  outbox: ${backlog} events were waiting; ${left} left after ${seconds.toFixed(1)} s`);
  return { backlog, left, seconds };
}

async function main(): Promise<void> {
  const teardown = new Teardown();
  let results: Results;
  try {
    results = await run(teardown);
  } finally {
    await teardown.run();
  }
  mkdirSync(join(OUT, '..'), { recursive: true });
  writeFileSync(OUT, JSON.stringify(results, null, 2) + '\n');
  printTable(results);
}

type Results = Awaited<ReturnType<typeof run>>;

async function run(teardown: Teardown) {
  if (USERS % 2 || USERS < 2 * CHATS)
    throw new Error('BENCH_USERS must be even and at least 2 × BENCH_CHATS');
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'; // the SDK's Node 22 notice
  progress(`starting: ${USERS} users with ${HISTORY} transfers out this month each, ${USERS} fresh`);
  const { stack, seeded } = await startFullStack({
    ports: PORTS,
    walletDb: DB,
    table: TABLE,
    logPrefix: 'stack',
    teardown,
    progress,
    seed: async (db, issuer) => {
      const s = await seed(db, issuer);
      progress(`seeded ${2 * USERS} users, ${s.historyTransfers} past transfers`);
      return s;
    },
  });
  const { users, accountIds } = seeded;
  const { userIds, tokens } = users;

  const connect = async (database: string) => {
    const connection = await mysql.createConnection({
      uri: ADMIN_URL,
      database,
      supportBigNumbers: true,
      bigNumberStrings: true,
      timezone: 'Z',
    });
    teardown.add(`MySQL connection to ${database}`, () => connection.end());
    return connection;
  };
  const db = await connect(DB);
  const api = new Api(stack.gatewayUrl, CONNECTIONS);
  teardown.add('API pool', () => api.close());
  const rawMessages = new RawMessages(stack.dynamoEndpoint, TABLE);
  teardown.add('DynamoDB client', async () => rawMessages.close());
  const rawWallet = await RawWallet.open(walletRuntimeUrl(DB), CONNECTIONS);
  teardown.add('raw MySQL connections', () => rawWallet.close());

  // Every caller's token verified and identity resolved (and cached) once; every pair's chat open.
  await inParallel(tokens, CONNECTIONS, (token) => api.expect([200], 'GET', '/v2/wallet', token));
  // Every pair's chat, history pairs first (the raw pipeline writes into them): phase 4 then compares
  // history with fresh accounts on equal chat work.
  const pairs = Array.from({ length: USERS }, (_, p) => [2 * p, 2 * p + 1] as [number, number]);
  const chats = await openChats(api, users, pairs);
  const watched = chats.slice(0, CHATS);
  await fillBacklog(rawMessages, users, watched, BACKLOG);
  progress(`${chats.length} chats open, ${CHATS} with ${BACKLOG} messages each`);
  await waitForFirstReconciliation(db);

  /** A random friend pair in the history (offset 0) or fresh (offset USERS) set, either direction. */
  const pairIn = (offset: number) => {
    const p = offset / 2 + pick(USERS / 2);
    const d = pick(2);
    return { from: 2 * p + d, to: 2 * p + 1 - d, p };
  };
  const transferReq =
    (offset: number) =>
    (req: autocannon.Request): autocannon.Request => {
      const { from, to } = pairIn(offset);
      return moneyPost(req, tokens[from], { toUserId: userIds[to], amount: 1 + pick(100) });
    };
  const http = (
    path: string,
    method: 'GET' | 'POST',
    setup: (req: autocannon.Request) => autocannon.Request,
    seconds = SECONDS,
  ) => loadHttp({ url: stack.gatewayUrl, connections: CONNECTIONS, seconds, method, path, setup });
  const raw = (op: (client: number) => Promise<void>) =>
    loadRaw({ clients: CONNECTIONS, seconds: SECONDS, op });
  const payer = (i: number) => ({ userId: userIds[i], accountId: accountIds[i] });

  // Warm-up: the money path's code and pools hot before the first measurement (history pairs only).
  await http('/v2/wallet/transfers', 'POST', transferReq(0), 3);
  await drainOutbox(db, DRAIN_SECONDS);

  // Phase 1: the service against the same work done raw, at the same concurrency, on the same servers.
  progress(`phase 1: ${CONNECTIONS} clients, ${SECONDS} s per measurement`);
  const uniform = await http('/v2/wallet/transfers', 'POST', transferReq(0));
  progress(`  transfer, uniform pairs, through the gateway: ${rate(uniform)}`);
  const uniformSql = await raw((c) => {
    const { from, to } = pairIn(0);
    return rawWallet.transfer(c, payer(from), userIds[to], 1 + pick(100));
  });
  progress(`  the same SQL, raw mysql2: ${rate(uniformSql)}`);
  const uniformPipeline = await raw(async (c) => {
    const { from, to, p } = pairIn(0);
    await rawWallet.transfer(c, payer(from), userIds[to], 1 + pick(100));
    await rawMessages.send(chats[p].convId, userIds[from], userIds[to], randomUUID(), 'a transfer');
  });
  progress(`  the same SQL, then the chat message's DynamoDB writes: ${rate(uniformPipeline)}`);
  const merchant = await http('/v2/wallet/payments', 'POST', (req) =>
    moneyPost(req, tokens[pick(USERS)], { merchantId: MERCHANT, amount: 1 + pick(100) }),
  );
  progress(`  payment into one merchant, through the gateway: ${rate(merchant)}`);
  const merchantSql = await raw((c) => rawWallet.payment(c, payer(pick(USERS)), MERCHANT, 1 + pick(100)));
  progress(`  the same SQL, raw mysql2: ${rate(merchantSql)}`);
  const relayAfterPhase1 = await drainOutbox(db, DRAIN_SECONDS);

  // Phase 2: chat transfers at a fixed rate while each recipient long-polls through the gateway.
  const offered = Math.max(1, Math.round(uniform.perSecond * CHAT_LOAD));
  progress(`phase 2: chat transfers at ${offered}/s into ${CHATS} long-polled chats for ${SECONDS} s`);
  const { transferIds, ...chat } = await chatLag(
    api,
    new Api(stack.gatewayUrl, CHATS),
    tokens,
    watched,
    offered,
  );
  progress(
    `  ${rate(chat.http)}; lag p50 ${chat.lag.p50} ms, p99 ${chat.lag.p99} ms, max ${chat.lag.max} ms; ` +
      `last shown ${(chat.lastShownAfterMs / 1000).toFixed(1)} s after the load, ${chat.missing} not shown`,
  );

  // Phase 3: the wallet screen, with and without a month of history.
  progress('phase 3: GET /v2/wallet');
  const walletOf = (offset: number) => (req: autocannon.Request) => ({
    ...req,
    headers: { authorization: `Bearer ${tokens[offset + pick(USERS)]}` },
  });
  const walletHistory = await http('/v2/wallet', 'GET', walletOf(0));
  progress(`  with history: ${rate(walletHistory)}`);
  const walletFresh = await http('/v2/wallet', 'GET', walletOf(USERS));
  progress(`  fresh: ${rate(walletFresh)}`);

  // Phase 4: the same transfers on fresh accounts, then on accounts with history, each from an empty outbox.
  progress('phase 4: transfers, fresh accounts vs accounts with history');
  // History, fresh, fresh, history: a drift over the phase (the chat pipeline, a reconciliation
  // pass) weighs on both sides alike; each side is the mean of its two runs.
  const runs: Record<'history' | 'fresh', Figure[]> = { history: [], fresh: [] };
  for (const side of ['history', 'fresh', 'fresh', 'history'] as const) {
    await drainOutbox(db, DRAIN_SECONDS);
    const figure = await http('/v2/wallet/transfers', 'POST', transferReq(side === 'history' ? 0 : USERS));
    runs[side].push(figure);
    progress(`  ${side === 'history' ? 'with history' : 'fresh'}: ${rate(figure)}`);
  }
  const transfersHistory = meanFigure(runs.history);
  const transfersFresh = meanFigure(runs.fresh);

  // Phase 5: tracing's cost, off against one trace in ten (production) and every span.
  progress('phase 5: transfers side by side with a second set: untraced, one trace in ten, every span');
  const secondStores = await copyStores(stack, 'second');
  const db2 = await connect(secondStores.walletDb);
  progress(`  the second set's stores: ${secondStores.walletDb} (a copy), table ${secondStores.table}`);
  let chatsOpened = false;
  const tracing = await measureTracingCost({
    untraced: appSet(stack.instances),
    startSecond: async (env) => {
      const set = appSet(
        await startApps({
          ports: SECOND_PORTS,
          stores: secondStores,
          logPrefix: 'stack-second',
          teardown,
          env,
        }),
      );
      if (!chatsOpened) {
        const api2 = new Api(set.gatewayUrl, CONNECTIONS);
        await openChats(api2, users, pairs).finally(() => api2.close());
        chatsOpened = true;
      }
      return set;
    },
    measure: (url, seconds, connections, overallRate) =>
      loadHttp({
        overallRate,
        url,
        connections,
        seconds,
        method: 'POST',
        path: '/v2/wallet/transfers',
        setup: transferReq(0),
      }),
    connections: CONNECTIONS,
    settle: () => Promise.all([drainOutbox(db, DRAIN_SECONDS), drainOutbox(db2, DRAIN_SECONDS)]),
    teardown,
    progress,
    seconds: SECONDS,
  });

  progress('checks: ledger, chat messages');
  const ledger = await checkLedger(db);
  const ledgerOfSecondSet = await checkLedger(db2);
  // The wallet's reconciliation passes (every minute; heavier with history) slow whatever runs meanwhile.
  const [passes] = (await db.query(
    'SELECT kind, accounts_checked, created_at FROM ledger_snapshots ORDER BY id',
  )) as unknown as [{ kind: string; accounts_checked: number; created_at: Date }[]];
  const reconciliations = passes.map((r) => ({
    kind: r.kind,
    accountsChecked: r.accounts_checked,
    endedAtSecond: Math.round((r.created_at.getTime() - t0) / 1000),
  }));
  const exactlyOnce = await countTransferMessages(stack.dynamoEndpoint, TABLE, watched, transferIds);
  return {
    at: new Date().toISOString(),
    settings: {
      users: USERS,
      history: HISTORY,
      connections: CONNECTIONS,
      seconds: SECONDS,
      chats: CHATS,
      backlog: BACKLOG,
    },
    redis: stack.redisUrl !== undefined,
    phase1: { uniform, uniformSql, uniformPipeline, merchant, merchantSql, relayAfterPhase1 },
    phase2: { offered, ...chat },
    phase3: { walletHistory, walletFresh },
    phase4: { transfersHistory, transfersFresh },
    phase5: tracing,
    checks: { ledger, ledgerOfSecondSet, exactlyOnce, repeatsSeenByPollers: chat.repeats },
    reconciliations,
  };
}

/** The wallet's first reconciliation (a full pass over the seeded ledger) runs at boot: not during a measurement. */
async function waitForFirstReconciliation(db: mysql.Connection): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const [[row]] = (await db.query('SELECT COUNT(*) AS n FROM ledger_snapshots')) as unknown as [
      [{ n: string }],
    ];
    if (Number(row.n) > 0) return;
    if (Date.now() > deadline) throw new Error('the wallet made no reconciliation snapshot within 120 s');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Chat transfers at `offered`/s, round-robin over `chats` (member a pays member b), while every b
 * long-polls; then waits (up to BENCH_CHAT_WAIT_SECONDS) until each transfer has reached its
 * recipient. Lag: from the 201 to the long-poll answer carrying the message.
 */
async function chatLag(api: Api, pollApi: Api, tokens: string[], chats: Chat[], offered: number) {
  const watchers = new ChatWatchers(pollApi, tokens);
  const answeredAt = new Map<string, number>();
  let http: Figure;
  try {
    await watchers.watch(chats);
    http = await loadPaced({
      rate: offered,
      seconds: SECONDS,
      op: async (i) => {
        const { convId, a } = chats[i % chats.length];
        const { id } = await api.expect<{ id: string }>(
          [201],
          'POST',
          `/v2/conversations/${convId}/transfers`,
          tokens[a],
          {
            body: { amount: 1 + pick(100) },
            idempotencyKey: randomUUID(),
          },
        );
        answeredAt.set(id, Date.now());
      },
    });
    if (answeredAt.size === 0) throw new Error('no chat transfer succeeded (see .local/bench/stack-*.log)');
    const loadEnd = Math.max(...answeredAt.values());
    const deadline = Date.now() + CHAT_WAIT_SECONDS * 1000;
    let lastReport = Date.now();
    const shown = () => [...answeredAt.keys()].filter((id) => watchers.seenAt.has(id)).length;
    while (shown() < answeredAt.size && Date.now() < deadline) {
      if (Date.now() - lastReport >= 5000) {
        progress(`  ${shown()} of ${answeredAt.size} transfers shown in their chats`);
        lastReport = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const lags: number[] = [];
    let lastShown = loadEnd;
    for (const [id, at] of answeredAt) {
      const seen = watchers.seenAt.get(id);
      if (seen === undefined) continue;
      lags.push(seen - at);
      lastShown = Math.max(lastShown, seen);
    }
    lags.sort((x, y) => x - y);
    return {
      http,
      transfers: answeredAt.size,
      lag: { p50: percentile(lags, 0.5), p99: percentile(lags, 0.99), max: lags.at(-1) ?? 0 },
      lastShownAfterMs: lastShown - loadEnd,
      missing: answeredAt.size - lags.length,
      repeats: watchers.repeats,
      pollErrors: watchers.errors,
      transferIds: [...answeredAt.keys()],
    };
  } finally {
    await watchers.close();
    await pollApi.close();
  }
}

function printTable(r: Results): void {
  const num = (n: number, digits = 0) => n.toFixed(digits);
  const failures: string[] = [];
  const row = (phase: string, scenario: string, f: Partial<Figure> & { max?: number }, note = '') => {
    if (f.firstError)
      failures.push(`${scenario.trim()}: ${f.errors} failed, the first with: ${f.firstError}`);
    return [
      phase,
      scenario,
      f.perSecond === undefined ? '—' : num(f.perSecond),
      f.p50 === undefined ? '—' : num(f.p50, 1),
      f.p99 === undefined ? '—' : num(f.p99, 1),
      f.max === undefined ? '—' : num(f.max, 1),
      f.errors === undefined ? '—' : String(f.errors),
      note,
    ];
  };
  const ratio = (a: Figure, b: Figure, what: string) =>
    b.perSecond ? `${(a.perSecond / b.perSecond).toFixed(2)} ${what}` : `— ${what} (nothing succeeded)`;
  const { phase1: p1, phase2: p2, phase3: p3, phase4: p4, phase5: p5 } = r;
  const rows = [
    row('1', 'transfer, uniform pairs — gateway', p1.uniform),
    row('1', '  same SQL, raw mysql2', p1.uniformSql, ratio(p1.uniform, p1.uniformSql, 'service/raw')),
    row(
      '1',
      '  same SQL + chat DynamoDB write',
      p1.uniformPipeline,
      ratio(p1.uniform, p1.uniformPipeline, 'service/raw'),
    ),
    row('1', 'payment, one merchant — gateway', p1.merchant),
    row('1', '  same SQL, raw mysql2', p1.merchantSql, ratio(p1.merchant, p1.merchantSql, 'service/raw')),
    row('2', `chat transfers, offered ${p2.offered}/s`, p2.http, `${p2.transfers} transfers`),
    row(
      '2',
      '  201 → recipient long-poll (lag)',
      p2.lag,
      `last shown ${(p2.lastShownAfterMs / 1000).toFixed(1)} s after load; ${p2.missing} never`,
    ),
    row('3', 'GET /v2/wallet — with history', p3.walletHistory),
    row(
      '3',
      'GET /v2/wallet — fresh',
      p3.walletFresh,
      ratio(p3.walletHistory, p3.walletFresh, 'history/fresh'),
    ),
    row('4', 'transfer — fresh accounts', p4.transfersFresh),
    row(
      '4',
      'transfer — with history',
      p4.transfersHistory,
      ratio(p4.transfersHistory, p4.transfersFresh, 'history/fresh'),
    ),
    ...TRACING_SETTINGS.flatMap((setting) => {
      const second = setting === 'control' ? 'a second untraced set' : `tracing ${setting}`;
      return [
        row('5', `transfer — tracing off, beside ${second}`, p5[setting].off),
        row('5', `  ${second}`, p5[setting].on, describeTracing(setting, p5[setting])),
      ];
    }),
  ];
  const head = ['phase', 'scenario', 'per s', 'p50 ms', 'p99 ms', 'max ms', 'errors', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((cells) => cells[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i < 2 || i === 7 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const { settings: s, checks } = r;
  process.stdout.write(
    [
      '',
      `whole stack through the gateway: ${s.users} users with ${s.history} transfers out this month + ${s.users} fresh; ` +
        `${s.connections} clients, ${s.seconds} s per measurement`,
      line(head),
      `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
      ...rows.map(line),
      ...failures,
      `wallet reconciliation passes ended at (s, as the progress lines): ${r.reconciliations
        .map((p) => `${p.endedAtSecond} (${p.kind}, ${p.accountsChecked} accounts)`)
        .join(', ')}`,
      `ledger: ${JSON.stringify(checks.ledger)}; the second set's copy: ${JSON.stringify(checks.ledgerOfSecondSet)}`,
      `chat messages of phase 2's transfers: ${checks.exactlyOnce.once} once, ${checks.exactlyOnce.missing} missing, ` +
        `${checks.exactlyOnce.duplicated} more than once (of ${checks.exactlyOnce.transfers}); repeats seen by long-polls: ${checks.repeatsSeenByPollers}`,
      `figures: ${OUT}`,
      '',
    ].join('\n'),
  );
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
