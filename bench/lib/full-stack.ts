import mysql from 'mysql2/promise';
import { startDynamo } from '../../scripts/local/dynamodb';
import { assertMysqlReachable } from '../../scripts/local/mysql';
import { assertPortFree } from '../../scripts/local/processes';
import { DEFAULT_REDIS_URL, redisAnswers } from '../../scripts/local/redis';
import { dbUrl } from '../../scripts/migrate/migrate';
import { ensureMessagesTable } from '../../scripts/migrate/dynamo-table';
import {
  ADMIN_URL,
  BENCH_LEGACY_DB,
  freshWalletDb,
  ROOMY_KYC_LIMITS,
  startBenchCognito,
  startBenchService,
  walletRuntimeUrl,
} from './stack';
import type { Teardown } from './teardown';

const APPS = ['gateway', 'wallet', 'messages', 'legacy'] as const;

export type StackPorts = Record<(typeof APPS)[number] | 'dynamo' | 'cognito', number>;

export interface FullStack {
  /** Where clients go: every request of the benchmark enters here. */
  gatewayUrl: string;
  dynamoEndpoint: string;
  table: string;
  /** The cognito-local issuer the seeded identities belong to. */
  issuer: string;
  /** The bench wallet database on the admin connection's server. */
  walletDb: string;
  redis: boolean;
}

/** Per window, per IP and per user: one machine's load never meets them (the gateway still counts). */
const UNTHROTTLED = JSON.stringify(
  Object.fromEntries(
    ['default', 'auth', 'money', 'lookup'].map((tier) => [tier, { perIp: 1e9, perUser: 1e9 }]),
  ),
);

/**
 * The whole stack as `npm run dev` runs it, quietly and on its own ports: DynamoDB Local and
 * cognito-local (fresh, in parallel), the messages table, a fresh migrated wallet database seeded
 * by `seed` before any app starts, then the built wallet (background jobs on: the outbox relay
 * runs, as in production), messages, legacy and the gateway in front, each its own process with
 * its log in `.local/bench/<logPrefix>-<app>.log`. Redis is used if it answers. Everything started
 * is registered with `teardown`, as soon as it runs.
 */
export async function startFullStack<T>(opts: {
  ports: StackPorts;
  walletDb: string;
  table: string;
  logPrefix: string;
  teardown: Teardown;
  seed: (db: mysql.Connection, issuer: string) => Promise<T>;
  progress: (line: string) => void;
}): Promise<{ stack: FullStack; seeded: T }> {
  const { ports, teardown, progress } = opts;
  await assertMysqlReachable(ADMIN_URL);
  // A busy app port fails now, not after the stores have started and the seeding has run.
  for (const app of APPS) await assertPortFree(ports[app], app);
  const redisUrl = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  const redis = await redisAnswers(redisUrl);

  const [dynamo, cognito] = await Promise.allSettled([
    startDynamo({ port: ports.dynamo }),
    startBenchCognito(ports.cognito),
  ]);
  if (dynamo.status === 'fulfilled') teardown.add('DynamoDB Local', dynamo.value.stop);
  if (cognito.status === 'fulfilled') teardown.add('cognito-local', cognito.value.stop);
  if (dynamo.status === 'rejected') throw dynamo.reason;
  if (cognito.status === 'rejected') throw cognito.reason;
  const dynamoEndpoint = dynamo.value.endpoint;
  await ensureMessagesTable({ endpoint: dynamoEndpoint, table: opts.table, region: 'ap-northeast-1' });
  progress(`DynamoDB Local, cognito-local up${redis ? ', Redis answers' : ', no Redis (in-process limits)'}`);

  const db = await mysql.createConnection({
    uri: ADMIN_URL,
    supportBigNumbers: true,
    bigNumberStrings: true,
    timezone: 'Z', // as the wallet's pool
  });
  let seeded: T;
  try {
    await freshWalletDb(db, opts.walletDb);
    seeded = await opts.seed(db, cognito.value.issuer);
  } finally {
    await db.end();
  }

  const url = (port: number) => `http://127.0.0.1:${port}`;
  const start = async (app: string, port: number, env: NodeJS.ProcessEnv) => {
    const service = await startBenchService(app, port, env, `${opts.logPrefix}-${app}`);
    teardown.add(app, service.stop);
  };
  const redisEnv = redis ? { REDIS_URL: redisUrl } : {};
  await Promise.all([
    start('wallet', ports.wallet, {
      WALLET_DB_URL: walletRuntimeUrl(opts.walletDb),
      WALLET_JOBS_ENABLED: 'true',
      MESSAGES_URL: url(ports.messages),
      KYC_LIMITS: ROOMY_KYC_LIMITS,
    }),
    start('messages', ports.messages, {
      WALLET_URL: url(ports.wallet),
      DYNAMODB_ENDPOINT: dynamoEndpoint,
      MESSAGES_TABLE: opts.table,
      ...redisEnv,
    }),
    start('legacy', ports.legacy, {
      LEGACY_DB_URL: dbUrl(ADMIN_URL, 'paychat_legacy', 'paychat_legacy_local', BENCH_LEGACY_DB),
    }),
  ]);
  await start('gateway', ports.gateway, {
    WALLET_URL: url(ports.wallet),
    MESSAGES_URL: url(ports.messages),
    LEGACY_URL: url(ports.legacy),
    RATE_LIMITS: UNTHROTTLED,
    ...redisEnv,
  });
  progress('wallet (relay on), messages, legacy, gateway up');
  return {
    stack: {
      gatewayUrl: url(ports.gateway),
      dynamoEndpoint,
      table: opts.table,
      issuer: cognito.value.issuer,
      walletDb: opts.walletDb,
      redis,
    },
    seeded,
  };
}
