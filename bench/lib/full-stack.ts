import type { ChildProcess } from 'node:child_process';
import mysql from 'mysql2/promise';
import { LOCAL_USER_POOL_ID } from '../../scripts/local/cognito';
import { LocalDynamo, startDynamo } from '../../scripts/local/dynamodb';
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
import { startInternalBalancer } from './drill-balancer';
import type { Teardown } from './teardown';

const APPS = ['gateway', 'wallet', 'messages', 'legacy'] as const;
type App = (typeof APPS)[number];

/** One port per app, or (wallet, messages) one per instance: the gateway then lists every address. */
export type StackPorts = Record<'gateway' | 'legacy' | 'dynamo' | 'cognito', number> &
  Record<'wallet' | 'messages', number | number[]>;

/** One running app instance that a drill can stop, kill and start again. */
export interface AppInstance {
  /** `wallet`, or `wallet-1`, `wallet-2`… when the app runs several. */
  readonly name: string;
  readonly url: string;
  /** The current process (a new one after each start). */
  child(): ChildProcess;
  /** Starts it again on its port with its settings (the last process must have exited); resolves once ready. */
  start(): Promise<void>;
  /** Stops the current process (SIGTERM, then SIGKILL if it lingers). */
  stop(): Promise<void>;
}

/** A set of the four apps: where its clients enter, and its processes. */
export interface AppSet {
  gatewayUrl: string;
  instances: AppInstance[];
}

/** The set of apps startApps started (or a stack's own). */
export function appSet(instances: Record<App, AppInstance[]>): AppSet {
  return { gatewayUrl: instances.gateway[0].url, instances: Object.values(instances).flat() };
}

/** DynamoDB Local, stoppable and startable again (on its data directory, when it has one). */
export interface RestartableDynamo {
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Its stores are what a second app set needs to serve the same users and data. */
export interface FullStack extends AppStores {
  /** Where clients go: every request of the benchmark enters here. */
  gatewayUrl: string;
  /** The cognito-local issuer the seeded identities belong to. */
  issuer: string;
  instances: Record<App, AppInstance[]>;
  dynamo: RestartableDynamo;
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
 * Several ports for wallet or messages start that many instances: the gateway gets every address
 * (static discovery), and the services reach each other through a stand-in for Cloud Map's DNS
 * (drill-balancer). `dynamoDataDir` keeps DynamoDB Local's tables on disk, so it can be restarted.
 */
export async function startFullStack<T>(opts: {
  ports: StackPorts;
  walletDb: string;
  table: string;
  logPrefix: string;
  teardown: Teardown;
  seed: (db: mysql.Connection, issuer: string) => Promise<T>;
  progress: (line: string) => void;
  dynamoDataDir?: string;
  /** A cognito-local already running (e.g. the tests'), instead of a fresh one on `ports.cognito`. */
  cognitoEndpoint?: string;
  /** Settings for one app only (e.g. its METRICS_PORT). */
  appEnv?: Partial<Record<App, NodeJS.ProcessEnv>>;
}): Promise<{ stack: FullStack; seeded: T }> {
  const { ports, teardown, progress } = opts;
  const portsOf = (app: App) => [ports[app]].flat();
  await assertMysqlReachable(ADMIN_URL);
  // A busy app port fails now, not after the stores have started and the seeding has run.
  for (const app of APPS) for (const port of portsOf(app)) await assertPortFree(port, app);
  const redisUrl = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  const redis = await redisAnswers(redisUrl);

  const startStore = () => startDynamo({ port: ports.dynamo, dataDir: opts.dynamoDataDir });
  const [dynamo, cognito] = await Promise.allSettled([
    startStore(),
    opts.cognitoEndpoint ? runningCognito(opts.cognitoEndpoint) : startBenchCognito(ports.cognito),
  ]);
  let store: LocalDynamo | undefined = dynamo.status === 'fulfilled' ? dynamo.value : undefined;
  const restartable: RestartableDynamo = {
    stop: async () => {
      await store?.stop();
      store = undefined;
    },
    start: async () => {
      store = await startStore();
    },
  };
  teardown.add('DynamoDB Local', restartable.stop);
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

  const stores = {
    dynamoEndpoint,
    table: opts.table,
    walletDb: opts.walletDb,
    redisUrl: redis ? redisUrl : undefined,
  };
  const instances = await startApps({
    ports,
    stores,
    logPrefix: opts.logPrefix,
    teardown,
    appEnv: opts.appEnv,
  });
  progress('wallet (relay on), messages, legacy, gateway up');
  return {
    stack: {
      ...stores,
      gatewayUrl: appSet(instances).gatewayUrl,
      issuer: cognito.value.issuer,
      instances,
      dynamo: restartable,
    },
    seeded,
  };
}

/** The stores an app set works on (those of a running stack). */
export interface AppStores {
  dynamoEndpoint: string;
  table: string;
  /** The bench wallet database on the admin connection's server. */
  walletDb: string;
  /** Unset: no Redis (in-process limits). */
  redisUrl: string | undefined;
}

/**
 * A copy of `stores` under `suffix`, on the same servers, for a second app set that must share no
 * rows with the first (its relay would deliver the other set's events): the wallet database
 * migrated afresh with every row copied in, and an empty messages table (its chats are opened
 * through the second set's API).
 */
export async function copyStores(stores: AppStores, suffix: string): Promise<AppStores> {
  const copy = { ...stores, walletDb: `${stores.walletDb}_${suffix}`, table: `${stores.table}-${suffix}` };
  const db = await mysql.createConnection({ uri: ADMIN_URL });
  try {
    await freshWalletDb(db, copy.walletDb);
    const [tables] = (await db.query(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = ? AND table_name <> 'typeorm_migrations'`,
      [stores.walletDb],
    )) as unknown as [{ name: string }[]];
    await db.query('SET foreign_key_checks = 0'); // rows arrive table by table
    for (const { name } of tables) {
      const [from, to] = [stores.walletDb, copy.walletDb].map((database) => `\`${database}\`.\`${name}\``);
      await db.query(`DELETE FROM ${to}`); // the rows the migrations seed (system accounts) come along
      await db.query(`INSERT INTO ${to} SELECT * FROM ${from}`);
    }
  } finally {
    await db.end();
  }
  await ensureMessagesTable({ endpoint: stores.dynamoEndpoint, table: copy.table, region: 'ap-northeast-1' });
  return copy;
}

/**
 * The four apps on `ports`, wired to each other and to `stores`: the wallet (background jobs on: the
 * outbox relay runs, as in production), messages and legacy, then the gateway in front. A second
 * set on the same stores serves the same users and data (as more tasks of a deploy would).
 */
export async function startApps(opts: {
  ports: Pick<StackPorts, App>;
  stores: AppStores;
  logPrefix: string;
  teardown: Teardown;
  /** Settings for every app of the set (e.g. its tracing), then for one app only. */
  env?: NodeJS.ProcessEnv;
  appEnv?: Partial<Record<App, NodeJS.ProcessEnv>>;
}): Promise<Record<App, AppInstance[]>> {
  const { stores } = opts;
  const portsOf = (app: App) => [opts.ports[app]].flat();
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const instances = {} as Record<App, AppInstance[]>;
  const start = async (app: App, env: NodeJS.ProcessEnv) => {
    const several = portsOf(app).length > 1;
    instances[app] = await Promise.all(
      portsOf(app).map((port, i) =>
        startInstance(
          app,
          several ? `${app}-${i + 1}` : app,
          port,
          { ...env, ...opts.env, ...opts.appEnv?.[app] },
          opts.logPrefix,
          opts.teardown,
        ),
      ),
    );
    return instances[app].map((instance) => instance.url);
  };
  /** Where one service reaches another: its only instance, or a DNS stand-in over all of them. */
  const internalUrl = async (app: App) => {
    if (portsOf(app).length === 1) return url(portsOf(app)[0]);
    const balancer = await startInternalBalancer(portsOf(app).map(url));
    opts.teardown.add(`${app} balancer`, balancer.close);
    return balancer.url;
  };
  const [walletInternal, messagesInternal] = await Promise.all([
    internalUrl('wallet'),
    internalUrl('messages'),
  ]);
  const redisEnv = stores.redisUrl ? { REDIS_URL: stores.redisUrl } : {};
  const [walletUrls, messagesUrls, legacyUrls] = await Promise.all([
    start('wallet', {
      WALLET_DB_URL: walletRuntimeUrl(stores.walletDb),
      WALLET_JOBS_ENABLED: 'true',
      MESSAGES_URL: messagesInternal,
      KYC_LIMITS: ROOMY_KYC_LIMITS,
    }),
    start('messages', {
      WALLET_URL: walletInternal,
      DYNAMODB_ENDPOINT: stores.dynamoEndpoint,
      MESSAGES_TABLE: stores.table,
      ...redisEnv,
    }),
    start('legacy', {
      LEGACY_DB_URL: dbUrl(ADMIN_URL, 'paychat_legacy', 'paychat_legacy_local', BENCH_LEGACY_DB),
    }),
  ]);
  await start('gateway', {
    WALLET_URL: walletUrls.join(','),
    MESSAGES_URL: messagesUrls.join(','),
    LEGACY_URL: legacyUrls.join(','),
    RATE_LIMITS: UNTHROTTLED,
    ...redisEnv,
  });
  return instances;
}

/** A cognito-local someone else runs (and stops); the services are pointed at it, as startBenchCognito does. */
async function runningCognito(endpoint: string) {
  process.env.COGNITO_ENDPOINT = endpoint;
  return { endpoint, issuer: `${endpoint}/${LOCAL_USER_POOL_ID}`, stop: async () => undefined };
}

/**
 * An app process on `port`, registered with `teardown` (which stops whichever process is current).
 * Each start after the first logs to its own file (`<name>.<n>.log`): a start truncates its log.
 */
async function startInstance(
  app: App,
  name: string,
  port: number,
  env: NodeJS.ProcessEnv,
  logPrefix: string,
  teardown: Teardown,
): Promise<AppInstance> {
  let starts = 0;
  const launch = () =>
    startBenchService(app, port, env, `${logPrefix}-${name}${starts++ ? `.${starts}` : ''}`);
  let current = await launch();
  teardown.add(name, () => current.stop());
  return {
    name,
    url: current.url,
    child: () => current.child,
    start: async () => {
      current = await launch();
    },
    stop: () => current.stop(),
  };
}
