import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { ulid } from 'ulid';
import { mintAccessToken } from '@paychat/testing';
import { LocalCognito, startCognito } from '../../scripts/local/cognito';
import {
  adoptChild,
  assertPortFree,
  httpOk,
  repoRoot,
  stopChild,
  waitFor,
} from '../../scripts/local/processes';
import { dbUrl, migrate } from '../../scripts/migrate/migrate';

export const ADMIN_URL = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** The legacy schema every bench migrates alongside its wallet database (the legacy app's, when one runs). */
export const BENCH_LEGACY_DB = 'paychat_bench_legacy';
const ROOT = repoRoot();
const BENCH_DIR = join(ROOT, '.local', 'bench');

export interface BenchService {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** cognito-local for the benchmark's tokens (fresh state); sets COGNITO_ENDPOINT for the services. */
export async function startBenchCognito(port: number): Promise<LocalCognito & { issuer: string }> {
  const dataDir = join(BENCH_DIR, `cognito-${port}`);
  rmSync(dataDir, { recursive: true, force: true });
  const cognito = await startCognito({ port, dataDir, users: [] });
  process.env.COGNITO_ENDPOINT = cognito.endpoint;
  return { ...cognito, issuer: `${cognito.endpoint}/${cognito.userPoolId}` };
}

/**
 * A built app as its own process (as in production), output straight to `.local/bench/<name>.log`:
 * piping it through this process would steal CPU from the load generator. Refuses a busy port (a
 * leftover server would pass the readiness probe); the child is killed if it never gets ready, and
 * in any case when this process exits.
 */
export async function startBenchService(
  app: string,
  port: number,
  env: NodeJS.ProcessEnv,
  name = app,
): Promise<BenchService> {
  await assertPortFree(port, name);
  mkdirSync(BENCH_DIR, { recursive: true });
  const log = openSync(join(BENCH_DIR, `${name}.log`), 'w');
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const spawned = spawn(process.execPath, [...nodeArgs, join(ROOT, `dist/apps/${app}/src/main.js`)], {
    env: {
      ...process.env,
      PORT: String(port),
      LOG_LEVEL: 'info',
      LOG_PRETTY: 'false',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...env,
    },
    stdio: ['ignore', log, log],
    detached: true, // its own process group, so stopChild can signal it
  });
  const child = adoptChild(spawned, {});
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(name, () => httpOk(`${url}/health/ready`), { timeoutMs: 30_000, child });
  } catch (err) {
    await stopChild(child);
    throw new Error(`${(err as Error).message}\n(log: ${join(BENCH_DIR, `${name}.log`)})`, { cause: err });
  }
  return { url, child, stop: () => stopChild(child) };
}

/** A fresh, migrated wallet database for a benchmark. */
export async function freshWalletDb(db: mysql.Connection, name: string): Promise<void> {
  await db.query(`DROP DATABASE IF EXISTS ${name}`);
  await migrate({
    adminUrl: ADMIN_URL,
    walletDb: name,
    legacyDb: BENCH_LEGACY_DB,
    log: () => undefined,
  });
  await db.query(`USE ${name}`);
}

/** The wallet's runtime DB user (SELECT/INSERT/UPDATE only, as in production) on a bench database. */
export function walletRuntimeUrl(database: string): string {
  return dbUrl(ADMIN_URL, 'paychat_app', 'paychat_app_local', database);
}

/** KYC limits that the load never hits: still checked (the same queries as production), never refused. */
export const ROOMY_KYC_LIMITS = JSON.stringify({
  none: { perOperation: 1_000_000, daily: 1e12, monthly: 1e12, maxBalance: 1e12 },
  verified: { perOperation: 1_000_000, daily: 1e12, monthly: 1e12, maxBalance: 1e12 },
});

/**
 * `n` users with their Cognito identity (subject `sub-<id>` at `issuer`) and a wallet holding
 * `balance` (the caller books the matching opening entry if the ledger must balance), plus a
 * minted access token each.
 */
export async function seedUsers(
  db: mysql.Connection,
  issuer: string,
  n: number,
  balance = 0,
): Promise<{ userIds: string[]; tokens: string[] }> {
  const userIds = Array.from({ length: n }, () => ulid());
  for (let i = 0; i < n; i += 1000) {
    const chunk = userIds.slice(i, i + 1000);
    await db.query('INSERT INTO users (id, email, display_name) VALUES ?', [
      chunk.map((id) => [id, `${id}@bench.local`, 'Bench']),
    ]);
    await db.query('INSERT INTO identities (issuer, subject, user_id) VALUES ?', [
      chunk.map((id) => [issuer, `sub-${id}`, id]),
    ]);
    await db.query(`INSERT INTO accounts (kind, owner_id, balance, seq) VALUES ?`, [
      chunk.map((id) => ['user', id, balance, balance > 0 ? 1 : 0]),
    ]);
  }
  const tokens = await Promise.all(
    userIds.map((id) => mintAccessToken({ claims: { sub: `sub-${id}`, username: id }, expiresIn: 3600 })),
  );
  return { userIds, tokens };
}

/**
 * Books every user account's seeded balance (`seedUsers(…, amount)`) as one balanced opening entry
 * against the legacy_migration system account, so a ledger check at the end means something.
 */
export async function bookOpeningBalances(db: mysql.Connection, amount: number): Promise<void> {
  const opId = 'BENCHOPENING00000000000000';
  const [entry] = (await db.query(`INSERT INTO journal_entries (kind, op_id) VALUES ('opening_balance', ?)`, [
    opId,
  ])) as unknown as [{ insertId: number }];
  await db.query(
    `INSERT INTO postings (entry_id, account_id, amount, seq, balance_after, op_type, op_id)
     SELECT ?, id, ?, 1, ?, 'opening_balance', ? FROM accounts WHERE kind = 'user'`,
    [entry.insertId, amount, amount, opId],
  );
  await db.query(
    `INSERT INTO postings (entry_id, account_id, amount, op_type, op_id)
     SELECT ?, id, -? * (SELECT COUNT(*) FROM accounts WHERE kind = 'user'), 'opening_balance', ? FROM accounts
     WHERE system_code = 'legacy_migration'`,
    [entry.insertId, amount, opId],
  );
}

export const pick = (n: number) => Math.floor(Math.random() * n);
