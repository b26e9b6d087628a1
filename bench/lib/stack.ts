import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { ulid } from 'ulid';
import { mintAccessToken } from '@paychat/testing';
import { LocalCognito, startCognito } from '../../scripts/local/cognito';
import { httpOk, repoRoot, stopChild, waitFor } from '../../scripts/local/processes';
import { migrate } from '../../scripts/migrate/migrate';

export const ADMIN_URL = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
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
 * piping it through this process would steal CPU from the load generator.
 */
export async function startBenchService(
  app: string,
  port: number,
  env: NodeJS.ProcessEnv,
  name = app,
): Promise<BenchService> {
  mkdirSync(BENCH_DIR, { recursive: true });
  const log = openSync(join(BENCH_DIR, `${name}.log`), 'w');
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, `dist/apps/${app}/src/main.js`)], {
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
  const url = `http://127.0.0.1:${port}`;
  await waitFor(name, () => httpOk(`${url}/health/ready`), { timeoutMs: 30_000, child });
  return { url, child, stop: () => stopChild(child) };
}

/** A fresh, migrated wallet database for a benchmark. */
export async function freshWalletDb(db: mysql.Connection, name: string): Promise<void> {
  await db.query(`DROP DATABASE IF EXISTS ${name}`);
  await migrate({
    adminUrl: ADMIN_URL,
    walletDb: name,
    legacyDb: 'paychat_bench_legacy',
    log: () => undefined,
  });
  await db.query(`USE ${name}`);
}

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

export const pick = (n: number) => Math.floor(Math.random() * n);
