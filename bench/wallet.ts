/**
 * `npm run bench:wallet`: transfers/s and latency through the wallet service over HTTP vs a raw
 * mysql2 script running the same SQL, on the same MariaDB, at 8 and 32 clients; uniform pairs
 * among 10,000 accounts, and every payment into one merchant (a hot row). Not a test.
 */
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import mysql from 'mysql2/promise';
import { ulid } from 'ulid';
import { mintAccessToken } from '@paychat/testing';
import { startCognito } from '../scripts/local/cognito';
import { httpOk, repoRoot, stopChild, waitFor } from '../scripts/local/processes';
import { dbUrl, migrate } from '../scripts/migrate/migrate';
import { checkLedger } from '../apps/wallet/src/testing/ledger-invariants';
import { loadHttp, loadRaw, printTable, Row } from './lib/measure';
import { RawWallet } from './wallet-raw';

const ADMIN = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const DB = 'paychat_bench_wallet';
const ACCOUNTS = 10_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const COGNITO_PORT = 29330;
const WALLET_PORT = 23101;
const CLIENT_COUNTS = (process.env.BENCH_CLIENTS ?? '8,32').split(',').map(Number);
const ROOMY = { perOperation: 1_000_000, daily: 1e12, monthly: 1e12, maxBalance: 1e12 };
const MERCHANT = '01BENCHMERCHANT00000000000';

async function seed(
  db: mysql.Connection,
  issuer: string,
): Promise<{ userIds: string[]; accountIds: string[] }> {
  await db.query(`DROP DATABASE IF EXISTS ${DB}`);
  await migrate({ adminUrl: ADMIN, walletDb: DB, legacyDb: 'paychat_bench_legacy', log: () => undefined });
  await db.query(`USE ${DB}`);
  const userIds = Array.from({ length: ACCOUNTS }, () => ulid());
  for (let i = 0; i < ACCOUNTS; i += 1000) {
    const chunk = userIds.slice(i, i + 1000);
    await db.query('INSERT INTO users (id, email, display_name) VALUES ?', [
      chunk.map((id) => [id, `${id}@bench.local`, 'Bench']),
    ]);
    await db.query('INSERT INTO identities (issuer, subject, user_id) VALUES ?', [
      chunk.map((id) => [issuer, `sub-${id}`, id]),
    ]);
    await db.query(`INSERT INTO accounts (kind, owner_id, balance, seq) VALUES ?`, [
      chunk.map((id) => ['user', id, 10_000_000, 1]),
    ]);
  }
  await db.query(`INSERT INTO merchants (id, name) VALUES (?, 'Bench Mart')`, [MERCHANT]);
  await db.query(`INSERT INTO accounts (kind, owner_id) VALUES ('merchant', ?)`, [MERCHANT]);
  // Opening balances as one balanced entry, so the ledger check at the end means something.
  const [entry] = (await db.query(`INSERT INTO journal_entries (kind, op_id) VALUES ('opening_balance', ?)`, [
    ulid(),
  ])) as unknown as [{ insertId: number }];
  await db.query(
    `INSERT INTO postings (entry_id, account_id, amount, seq, balance_after, op_type, op_id)
     SELECT ?, id, 10000000, 1, 10000000, 'opening_balance', 'BENCHOPENING00000000000000' FROM accounts WHERE kind = 'user'`,
    [entry.insertId],
  );
  await db.query(
    `INSERT INTO postings (entry_id, account_id, amount, op_type, op_id)
     SELECT ?, id, ?, 'opening_balance', 'BENCHOPENING00000000000000' FROM accounts WHERE system_code = 'legacy_migration'`,
    [entry.insertId, -10_000_000 * ACCOUNTS],
  );
  const [rows] = (await db.query(`SELECT id, owner_id FROM accounts WHERE kind = 'user'`)) as unknown as [
    { id: string; owner_id: string }[],
  ];
  const accountOf = new Map(rows.map((r) => [r.owner_id, String(r.id)]));
  return { userIds, accountIds: userIds.map((u) => accountOf.get(u)!) };
}

const pick = (n: number) => Math.floor(Math.random() * n);

async function main(): Promise<void> {
  const root = repoRoot();
  const dataDir = join(root, '.local', 'bench', 'cognito');
  rmSync(dataDir, { recursive: true, force: true });
  const cognito = await startCognito({ port: COGNITO_PORT, dataDir, users: [] });
  process.env.COGNITO_ENDPOINT = cognito.endpoint;
  const issuer = `${cognito.endpoint}/${cognito.userPoolId}`;
  const db = await mysql.createConnection({ uri: ADMIN, supportBigNumbers: true, bigNumberStrings: true });
  const { userIds, accountIds } = await seed(db, issuer);
  process.stdout.write(`seeded ${ACCOUNTS} accounts; minting tokens…\n`);
  const tokens = await Promise.all(
    userIds.map((id) => mintAccessToken({ claims: { sub: `sub-${id}`, username: id }, expiresIn: 3600 })),
  );

  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // Output straight to a file: piping it through this process would steal CPU from the load generator.
  mkdirSync(join(root, '.local', 'bench'), { recursive: true });
  const log = openSync(join(root, '.local', 'bench', 'wallet.log'), 'w');
  const wallet = spawn(process.execPath, [...nodeArgs, join(root, 'dist/apps/wallet/src/main.js')], {
    env: {
      ...process.env,
      PORT: String(WALLET_PORT),
      WALLET_DB_URL: dbUrl(ADMIN, 'paychat_app', 'paychat_app_local', DB),
      WALLET_JOBS_ENABLED: 'false',
      // Limits are still checked (same queries as production), just never hit by the load.
      KYC_LIMITS: JSON.stringify({ none: ROOMY, verified: ROOMY }),
      LOG_LEVEL: 'info',
      LOG_PRETTY: 'false',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stdio: ['ignore', log, log],
    detached: true, // its own process group, so stopChild can signal it
  });
  const url = `http://127.0.0.1:${WALLET_PORT}`;
  const rows: Row[] = [];
  const raw = await RawWallet.open(dbUrl(ADMIN, 'paychat_app', 'paychat_app_local', DB), 32);
  try {
    await waitFor('wallet', () => httpOk(`${url}/health/ready`), { timeoutMs: 20_000, child: wallet });
    const transferReq = (req: autocannon.Request): autocannon.Request => {
      const from = pick(ACCOUNTS);
      const to = (from + 1 + pick(ACCOUNTS - 1)) % ACCOUNTS;
      return {
        ...req,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${tokens[from]}`,
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify({ toUserId: userIds[to], amount: 1 + pick(100) }),
      };
    };
    const paymentReq = (req: autocannon.Request): autocannon.Request => {
      const from = pick(ACCOUNTS);
      return {
        ...req,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${tokens[from]}`,
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify({ merchantId: MERCHANT, amount: 1 + pick(100) }),
      };
    };
    // Warm-up: every user's first call resolves and caches their identity.
    await loadHttp({
      url,
      connections: 32,
      seconds: 3,
      method: 'POST',
      path: '/v2/wallet/transfers',
      setup: transferReq,
    });

    const compare = async (
      scenario: string,
      path: string,
      setup: typeof transferReq,
      op: (client: number) => Promise<void>,
    ) => {
      for (const clients of CLIENT_COUNTS) {
        const service = await loadHttp({
          url,
          connections: clients,
          seconds: SECONDS,
          method: 'POST',
          path,
          setup,
        });
        rows.push({ scenario, clients, service, raw: await loadRaw({ clients, seconds: SECONDS, op }) });
      }
    };
    const payer = (i: number) => ({ userId: userIds[i], accountId: accountIds[i] });
    await compare('transfer, uniform', '/v2/wallet/transfers', transferReq, (c) => {
      const from = pick(ACCOUNTS);
      const to = (from + 1 + pick(ACCOUNTS - 1)) % ACCOUNTS;
      return raw.transfer(c, payer(from), userIds[to], 1 + pick(100));
    });
    await compare('payment, hot merchant', '/v2/wallet/payments', paymentReq, (c) =>
      raw.payment(c, payer(pick(ACCOUNTS)), MERCHANT, 1 + pick(100)),
    );
  } finally {
    await raw.close();
    await stopChild(wallet);
    await cognito.stop();
  }
  printTable(
    `wallet: POST through the service (HTTP, auth, idempotency) vs the same SQL from raw mysql2 — ${SECONDS}s each`,
    rows,
  );
  const uniform32 = rows.find((r) => r.scenario.startsWith('transfer') && r.clients === 32);
  const hot32 = rows.find((r) => r.scenario.startsWith('payment') && r.clients === 32);
  if (uniform32 && hot32) {
    process.stdout.write(
      `targets: service/raw at 32 clients (uniform) = ${(uniform32.service.perSecond / uniform32.raw.perSecond).toFixed(2)} (≥ 0.6); ` +
        `hot merchant / uniform (service, 32) = ${(hot32.service.perSecond / uniform32.service.perSecond).toFixed(2)} (≥ 0.5)\n`,
    );
  }
  await db.query(`USE ${DB}`);
  process.stdout.write(`ledger after the run: ${JSON.stringify(await checkLedger(db))}\n`);
  await db.end();
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
