/**
 * `npm run dev` (after the build): MySQL check, DynamoDB Local, cognito-local, migrations, then the four
 * apps with their output prefixed. State lives in `.local/` (`npm run dev:reset` wipes it).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tracingEnabled } from '@paychat/telemetry';
import { DemoUser, LocalCognito, startCognito } from './local/cognito';
import { startDynamo } from './local/dynamodb';
import { assertMysqlReachable, DEFAULT_MYSQL_URL, redactUrl } from './local/mysql';
import { DEFAULT_REDIS_URL, redisAnswers } from './local/redis';
import { assertPortFree, exited, httpOk, repoRoot, spawnChild, stopChild, waitFor } from './local/processes';

const ROOT = repoRoot();
const STATE_DIR = join(ROOT, '.local');
const DYNAMO_PORT = 8000;
const COGNITO_PORT = 9229;
/** Each app's port, and its metrics port (GET /metrics, Prometheus text). */
const APPS = [
  { name: 'gateway', port: 8080, metricsPort: 9464 },
  { name: 'wallet', port: 3001, metricsPort: 9465 },
  { name: 'messages', port: 3002, metricsPort: 9466 },
  { name: 'legacy', port: 3003, metricsPort: 9467 },
];
type App = (typeof APPS)[number];
const DEMO_USERS: DemoUser[] = [
  {
    email: 'alice@paychat.local',
    password: process.env.DEMO_ALICE_PASSWORD ?? 'PaychatDemo1!',
    name: 'Alice',
    groups: [],
  },
  {
    email: 'bob@paychat.local',
    password: process.env.DEMO_BOB_PASSWORD ?? 'PaychatDemo1!',
    name: 'Bob',
    groups: [],
  },
  {
    email: 'admin@paychat.local',
    password: process.env.DEMO_ADMIN_PASSWORD ?? 'PaychatAdmin1!',
    name: 'Admin',
    groups: ['admin'],
  },
];

type Stop = () => Promise<void>;
/** Stopped in this order: apps (and a running migration) before the stores they use. */
const appStops = new Map<string, Stop>();
const storeStops: Stop[] = [];
let stopping = false;
let stoppingSince = 0;

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const mysqlUrl = process.env.MYSQL_URL ?? DEFAULT_MYSQL_URL;
  await assertMysqlReachable(mysqlUrl);
  const apps = APPS.filter((app) => {
    if (existsSync(mainJs(app.name))) return true;
    warn(`${app.name}: ${mainJs(app.name)} not built yet, skipping it`);
    return false;
  });
  // Fail on a busy app port now, not after half a minute of starting stores.
  for (const app of apps) {
    await assertPortFree(app.port, app.name);
    await assertPortFree(app.metricsPort, `${app.name} metrics`);
  }

  const redisUrl = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  const redis = await redisAnswers(redisUrl);
  if (!redis)
    warn(
      `Redis is not answering at ${redactUrl(redisUrl)}: running without it (one instance of each app is fine; ` +
        'start it with `redis-server --daemonize yes` for shared rate limits and cross-instance chat wake-ups)',
    );
  const [dynamo, cognito] = await startStores();
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'development',
    ...(process.stdout.isTTY ? { LOG_PRETTY: 'true' } : {}),
    AUTH_AUTO_CONFIRM: 'true',
    // The SDK's "Node 22 from 2027" notice, once per process; the containers run Node 22 (docker/).
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    SEED_DEMO_DATA: 'true',
    ...process.env, // may override the three above; the wiring below is not negotiable
    // Loopback only: the local stack runs on published secrets and a published token-signing key.
    HOST: '127.0.0.1',
    COGNITO_ENDPOINT: cognito.endpoint,
    COGNITO_USER_POOL_ID: cognito.userPoolId,
    COGNITO_CLIENT_ID: cognito.clientId,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    MYSQL_URL: mysqlUrl,
    WALLET_URL: appUrl('wallet'),
    MESSAGES_URL: appUrl('messages'),
    LEGACY_URL: appUrl('legacy'),
    // Not answering: the apps run without it rather than be handed a dead URL.
    REDIS_URL: redis ? redisUrl : undefined,
  };
  await migrate(env);

  await Promise.all(apps.map((app) => startApp(app, env)));
  printBanner(
    apps.map((a) => a.name),
    dynamo.endpoint,
    cognito,
    mysqlUrl,
    redis ? redisUrl : null,
  );
}

/** DynamoDB Local and cognito-local in parallel; whichever started is stopped again if the other fails. */
async function startStores() {
  const given = process.env.DYNAMODB_ENDPOINT;
  const results = await Promise.allSettled([
    given
      ? Promise.resolve({ endpoint: given, stop: async () => {} })
      : startDynamo({ port: DYNAMO_PORT, dataDir: join(STATE_DIR, 'dynamodb') }),
    startCognito({
      port: COGNITO_PORT,
      dataDir: join(STATE_DIR, 'cognito'),
      users: DEMO_USERS,
      // Legacy users move into Cognito on their first login: cognito-local runs the same trigger.
      legacyUrl: appUrl('legacy'),
    }),
  ]);
  for (const r of results) if (r.status === 'fulfilled') storeStops.push(r.value.stop);
  const [dynamo, cognito] = results;
  if (dynamo.status === 'rejected') throw dynamo.reason;
  if (cognito.status === 'rejected') throw cognito.reason;
  return [dynamo.value, cognito.value] as const;
}

async function migrate(env: NodeJS.ProcessEnv): Promise<void> {
  const script = join(ROOT, 'dist', 'scripts', 'migrate.js');
  if (!existsSync(script)) return warn(`${script} not built yet, skipping migrations`);
  const child = spawnChild(process.execPath, [script], { cwd: ROOT, env, onLine: prefixer('migrate') });
  appStops.set('migrate', () => stopChild(child));
  await exited(child);
  appStops.delete('migrate');
  if (child.exitCode !== 0)
    throw new Error(`Migrations failed (exit ${child.exitCode ?? child.signalCode}), see above`);
}

async function startApp({ name, port, metricsPort }: App, env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawnChild(process.execPath, [mainJs(name)], {
    cwd: ROOT,
    env: { ...env, PORT: String(port), METRICS_PORT: String(metricsPort) },
    onLine: prefixer(name),
  });
  appStops.set(name, () => stopChild(child));
  child.once('exit', (code, signal) => {
    if (stopping) return;
    warn(`${name} exited unexpectedly (${signal ?? `exit code ${code}`}), stopping everything`);
    void shutdown(1);
  });
  await waitFor(name, () => httpOk(`http://127.0.0.1:${port}/health/live`), { timeoutMs: 60_000, child });
}

async function shutdown(code: number): Promise<void> {
  if (stopping) {
    // A second Ctrl-C forces it (the exit hook SIGKILLs what is left); one within a second is likely
    // the same keypress relayed by npm or the shell.
    if (code === 0 && Date.now() - stoppingSince > 1000) process.exit(130);
    return;
  }
  stopping = true;
  stoppingSince = Date.now();
  if (appStops.size || storeStops.length) console.log('\nStopping…');
  await Promise.all([...appStops.values()].map((stop) => stop()));
  await Promise.all(storeStops.map((stop) => stop()));
  process.exit(code);
}

function appUrl(name: string): string {
  return `http://127.0.0.1:${APPS.find((a) => a.name === name)?.port}`;
}

function mainJs(app: string): string {
  return join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
}

const COLORS = [36, 35, 33, 32, 34, 31];
const NAME_WIDTH = Math.max(...APPS.map((a) => a.name.length), 'migrate'.length);
let nextColor = 0;

/** `name | line` on our stdout/stderr, the name coloured on a terminal. */
function prefixer(name: string): (line: string, stream: 'stdout' | 'stderr') => void {
  const label = name.padEnd(NAME_WIDTH);
  const prefix = process.stdout.isTTY
    ? `\x1b[${COLORS[nextColor++ % COLORS.length]}m${label}\x1b[0m | `
    : `${label} | `;
  return (line, stream) => process[stream].write(prefix + line + '\n');
}

function warn(message: string): void {
  console.warn(`[dev] warning: ${message}`);
}

function printBanner(
  started: string[],
  dynamoEndpoint: string,
  cognito: LocalCognito,
  mysqlUrl: string,
  redisUrl: string | null,
): void {
  const app = ({ name, port, metricsPort }: App) =>
    `  ${name.padEnd(9)} http://localhost:${port}   metrics: http://localhost:${metricsPort}/metrics` +
    (name === 'gateway' ? `   API docs: http://localhost:${port}/docs` : '') +
    (started.includes(name) ? '' : '   (not built, not running)');
  // The apps get our environment: the standard OTEL_* variables switch their span export on.
  const tracing = tracingEnabled()
    ? `spans to ${process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT}`
    : 'off (on: OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 npm run dev, with a collector there: docs/observability.md)';
  const user = (u: DemoUser) =>
    `  ${u.email.padEnd(21)} ${u.password}${u.groups.length ? `   (groups: ${u.groups.join(', ')})` : ''}`;
  console.log(
    [
      '',
      '==================== paychat is running ====================',
      ...APPS.map(app),
      `  DynamoDB  ${dynamoEndpoint}${process.env.DYNAMODB_ENDPOINT ? '' : '   (DynamoDB Local, data in .local/dynamodb)'}`,
      `  Cognito   ${cognito.endpoint}   (cognito-local: pool ${cognito.userPoolId}, client ${cognito.clientId}, state in .local/cognito)`,
      `  MySQL     ${redactUrl(mysqlUrl)}`,
      `  Redis     ${redisUrl ? redactUrl(redisUrl) : '(not running: limits and chat signals stay in-process)'}`,
      `  Tracing   ${tracing}`,
      '',
      'Demo users (email / password):',
      ...DEMO_USERS.map(user),
      '',
      'Ctrl-C to stop.   Wipe all local data: npm run dev:reset',
      '=============================================================',
      '',
    ].join('\n'),
  );
}

main().catch((err: Error) => {
  if (!stopping) console.error(`\n[dev] ${err.message}`); // else a consequence of stopping, already reported
  void shutdown(1);
});
