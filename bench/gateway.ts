/**
 * `npm run bench:gateway`: for an authenticated `GET /v2/wallet` and a transfer POST, requests/s
 * and p50/p99 (a) straight to the wallet, (b) through a bare undici forwarding proxy — the floor any
 * Node proxy pays here — and (c) through the gateway (route table, token check, rate limits in
 * Redis, undici pools). Then the p50 the gateway adds at half of the direct saturation rate. Not a test.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import mysql from 'mysql2/promise';
import { httpOk, repoRoot, stopChild, waitFor } from '../scripts/local/processes';
import { dbUrl } from '../scripts/migrate/migrate';
import { Figure, loadHttp, moneyPost } from './lib/measure';
import {
  ADMIN_URL,
  freshWalletDb,
  pick,
  SECONDS,
  seedUsers,
  startBenchCognito,
  startBenchService,
} from './lib/stack';

const DB = 'paychat_bench_gateway_wallet';
const USERS = 2_000;
const COGNITO_PORT = 29332;
const WALLET_PORT = 23103;
const BARE_PORT = 23301;
const GATEWAY_PORT = 23302;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ROOMY = { perOperation: 1_000_000, daily: 1e12, monthly: 1e12, maxBalance: 1e12 };

async function main(): Promise<void> {
  const cognito = await startBenchCognito(COGNITO_PORT);
  const stops: (() => Promise<void>)[] = [() => cognito.stop()];
  const rows: Row[] = [];
  try {
    const db = await mysql.createConnection({ uri: ADMIN_URL });
    await freshWalletDb(db, DB);
    // Balances without their opening entry: this run measures routing, not the ledger (the DB is thrown away).
    const { userIds, tokens } = await seedUsers(db, cognito.issuer, USERS, 1_000_000_000);
    await db.end();
    const wallet = await startBenchService('wallet', WALLET_PORT, {
      WALLET_DB_URL: dbUrl(ADMIN_URL, 'paychat_app', 'paychat_app_local', DB),
      WALLET_JOBS_ENABLED: 'false',
      KYC_LIMITS: JSON.stringify({ none: ROOMY, verified: ROOMY }),
    });
    stops.unshift(() => wallet.stop());
    const bare = spawn(
      process.execPath,
      [join(repoRoot(), 'dist/bench/bare-proxy.js'), String(BARE_PORT), wallet.url],
      {
        stdio: 'ignore',
        detached: true,
      },
    );
    stops.unshift(() => stopChild(bare));
    const bareUrl = `http://127.0.0.1:${BARE_PORT}`;
    await waitFor('bare proxy', () => httpOk(`${bareUrl}/health/live`), { timeoutMs: 10_000, child: bare });
    const gateway = await startBenchService('gateway', GATEWAY_PORT, {
      WALLET_URL: wallet.url,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    });
    stops.unshift(() => gateway.stop());

    const walletReq = (req: autocannon.Request): autocannon.Request => ({
      ...req,
      headers: { authorization: `Bearer ${tokens[pick(USERS)]}` },
    });
    const transferReq = (req: autocannon.Request): autocannon.Request => {
      const from = pick(USERS);
      return moneyPost(req, tokens[from], {
        toUserId: userIds[(from + 1 + pick(USERS - 1)) % USERS],
        amount: 1,
      });
    };
    const scenarios = [
      { scenario: 'GET /v2/wallet', method: 'GET' as const, path: '/v2/wallet', setup: walletReq },
      {
        scenario: 'POST transfer',
        method: 'POST' as const,
        path: '/v2/wallet/transfers',
        setup: transferReq,
      },
    ];
    const targets = { direct: wallet.url, bare: bareUrl, gateway: gateway.url };
    // Warm-up: every user's identity resolved and cached in the wallet, every token in the gateway.
    for (const url of Object.values(targets))
      await loadHttp({ url, connections: CONNECTIONS, seconds: 3, ...scenarios[0] });

    for (const s of scenarios) {
      const at = (url: string, extra: Partial<Parameters<typeof loadHttp>[0]> = {}) =>
        loadHttp({ url, connections: CONNECTIONS, seconds: SECONDS, ...s, ...extra });
      const direct = await at(targets.direct);
      const bareFigure = await at(targets.bare);
      const gatewayFigure = await at(targets.gateway);
      // Latency at half of what the wallet alone sustains: what a caller feels when nothing saturates.
      const half = Math.max(1, Math.floor(direct.perSecond / 2));
      const directHalf = await at(targets.direct, { overallRate: half });
      const bareHalf = await at(targets.bare, { overallRate: half });
      const gatewayHalf = await at(targets.gateway, { overallRate: half });
      rows.push({
        scenario: s.scenario,
        direct,
        bare: bareFigure,
        gateway: gatewayFigure,
        half,
        added: { bare: bareHalf.p50 - directHalf.p50, gateway: gatewayHalf.p50 - directHalf.p50 },
      });
    }
  } finally {
    for (const stop of stops) await stop();
  }
  print(rows);
}

interface Row {
  scenario: string;
  direct: Figure;
  bare: Figure;
  gateway: Figure;
  /** Half of the direct saturation rate, and the p50 each proxy adds over direct at that rate. */
  half: number;
  added: { bare: number; gateway: number };
}

function print(rows: Row[]): void {
  const f = (x: Figure) =>
    `${x.perSecond.toFixed(0).padStart(6)} ${x.p50.toFixed(1).padStart(6)} ${x.p99.toFixed(1).padStart(6)}`;
  process.stdout.write(
    `\ngateway: ${CONNECTIONS} connections, ${SECONDS}s each (req/s, p50 ms, p99 ms)\n` +
      '| scenario        | direct /s p50 p99      | bare proxy /s p50 p99  | gateway /s p50 p99     | gw/bare | gw/direct | half load | p50 added: bare, gateway |\n' +
      '|-----------------|------------------------|------------------------|------------------------|---------|-----------|-----------|--------------------------|\n',
  );
  for (const r of rows) {
    process.stdout.write(
      `| ${r.scenario.padEnd(15)} | ${f(r.direct)}   | ${f(r.bare)}   | ${f(r.gateway)}   | ${(r.gateway.perSecond / r.bare.perSecond).toFixed(2).padStart(7)} | ${(r.gateway.perSecond / r.direct.perSecond).toFixed(2).padStart(9)} | ${`${r.half}/s`.padStart(9)} | ${`${r.added.bare} ms, ${r.added.gateway} ms`.padStart(24)} |\n`,
    );
  }
  const errors = rows.reduce((n, r) => n + r.direct.errors + r.bare.errors + r.gateway.errors, 0);
  process.stdout.write(
    `errors (non-2xx): ${errors}\ntargets: gateway ≥ 0.7× bare proxy; ≤ 2 ms added at p50 at half load\n`,
  );
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
