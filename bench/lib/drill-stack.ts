import { rmSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { repoRoot } from '../../scripts/local/processes';
import { Api, inParallel } from './api';
import { type Chat, openChats, type Users } from './chats';
import { PhoneClient } from './drill-client';
import {
  dropDbConnections,
  killAndRestart,
  type Progress,
  restartDynamo,
  rollingRestart,
} from './drill-faults';
import { MixedLoad } from './drill-load';
import type { DrillWorld, Scenario } from './drill-scenario';
import { type FullStack, startFullStack, type StackPorts } from './full-stack';
import { ADMIN_URL, bookOpeningBalances, seedUsers } from './stack';
import type { Teardown } from './teardown';

const OPENING = 1_000_000;

export interface Drill {
  stack: FullStack;
  world: DrillWorld;
  /** Every scenario of the drill, in the order it runs them. */
  scenarios: Scenario[];
}

/**
 * The drill's stack: two instances of wallet and of messages behind the gateway (`ports` names
 * both), `pairs` pairs of users with a funded wallet and their direct chat, the phone-like client
 * and its load, and the scenarios over this stack. Everything is registered with `teardown`.
 */
export async function startDrill(opts: {
  ports: StackPorts;
  pairs: number;
  clients: { longPolls: number; thinkMs: number };
  timing: Pick<DrillWorld, 'beforeMs' | 'afterMs' | 'settleMs'>;
  walletDb: string;
  table: string;
  logPrefix: string;
  teardown: Teardown;
  progress: Progress;
  cognitoEndpoint?: string;
}): Promise<Drill> {
  const { teardown, progress } = opts;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const dynamoDataDir = join(repoRoot(), '.local', 'bench', `${opts.logPrefix}-dynamodb`);
  rmSync(dynamoDataDir, { recursive: true, force: true });
  const { stack, seeded: users } = await startFullStack<Users>({
    ports: opts.ports,
    walletDb: opts.walletDb,
    table: opts.table,
    logPrefix: opts.logPrefix,
    teardown,
    progress,
    dynamoDataDir,
    cognitoEndpoint: opts.cognitoEndpoint,
    seed: async (db, issuer) => {
      const seeded = await seedUsers(db, issuer, 2 * opts.pairs, OPENING);
      await bookOpeningBalances(db, OPENING);
      return seeded;
    },
  });
  const db = await mysql.createConnection({
    uri: ADMIN_URL,
    database: opts.walletDb,
    supportBigNumbers: true,
    bigNumberStrings: true,
    timezone: 'Z',
  });
  teardown.add('MySQL connection', () => db.end());
  const api = new Api(stack.gatewayUrl, 8);
  let chats: Chat[];
  try {
    // Every caller's identity resolved once, and every pair's chat open, before any fault.
    await inParallel(users.tokens, 8, (token) => api.expect([200], 'GET', '/v2/wallet', token));
    chats = await openChats(
      api,
      users,
      Array.from({ length: opts.pairs }, (_, p) => [2 * p, 2 * p + 1]),
    );
  } finally {
    await api.close();
  }
  const client = new PhoneClient(stack.gatewayUrl, opts.pairs + opts.clients.longPolls);
  teardown.add('drill client', () => client.close());
  const load = new MixedLoad(client, users, chats, opts.clients);
  progress(`${opts.pairs} pairs of users with their chat; ${opts.clients.longPolls} long-polling`);
  const { wallet, messages } = stack.instances;
  const scenarios: Scenario[] = [
    { name: 'wallet rolling restart', deploy: true, act: (p) => rollingRestart(wallet, p) },
    { name: 'messages rolling restart', deploy: true, act: (p) => rollingRestart(messages, p) },
    {
      name: 'wallet kill -9 (one instance)',
      deploy: false,
      act: (p) => killAndRestart(wallet.slice(0, 1), p),
    },
    {
      name: 'wallet DB connections dropped',
      deploy: false,
      act: () => dropDbConnections(db, opts.walletDb),
    },
    { name: 'DynamoDB Local killed', deploy: false, act: (p) => restartDynamo(stack.dynamo, p) },
    { name: 'messages kill -9 (both)', deploy: false, act: (p) => killAndRestart(messages, p) },
  ];
  return {
    stack,
    scenarios,
    world: {
      client,
      load,
      db,
      dynamoEndpoint: stack.dynamoEndpoint,
      table: opts.table,
      chats,
      chargedIn: 2 * opts.pairs * OPENING,
      progress,
      ...opts.timing,
    },
  };
}
