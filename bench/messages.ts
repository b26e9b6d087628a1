/**
 * `npm run bench:messages`: sends/s and history pages/s (50 messages) through the messages service
 * over HTTP vs the raw SDK making the same DynamoDB calls, against the same DynamoDB Local, in one
 * run. Not a test. DynamoDB Local (Java) shares the 2 cores with both, so the absolute figures say
 * little about AWS; the ratios are the point.
 */
import { randomUUID } from 'node:crypto';
import type autocannon from 'autocannon';
import mysql from 'mysql2/promise';
import { startDynamo } from '../scripts/local/dynamodb';
import { dbUrl } from '../scripts/migrate/migrate';
import { ensureMessagesTable } from '../scripts/migrate/dynamo-table';
import { compare, loadHttp, printTable, Row } from './lib/measure';
import { RawMessages } from './messages-raw';
import {
  ADMIN_URL,
  freshWalletDb,
  pick,
  SECONDS,
  seedUsers,
  startBenchCognito,
  startBenchService,
} from './lib/stack';

const DB = 'paychat_bench_messages_wallet';
const TABLE = 'paychat-bench-messages';
const DYNAMO_PORT = 28001;
const COGNITO_PORT = 29331;
const WALLET_PORT = 23102;
const MESSAGES_PORT = 23202;
const PAIRS = 100;
const PAGE = 50;
/** Chats whose history is read: filled with more than a page first. */
const READ_CHATS = 10;
const CLIENT_COUNTS = (process.env.BENCH_CLIENTS ?? '8,32').split(',').map(Number);

async function main(): Promise<void> {
  const [cognito, dynamo] = await Promise.all([
    startBenchCognito(COGNITO_PORT),
    startDynamo({ port: DYNAMO_PORT }),
  ]);
  const stops: (() => Promise<void>)[] = [() => cognito.stop(), () => dynamo.stop()];
  const rows: Row[] = [];
  try {
    await ensureMessagesTable({ endpoint: dynamo.endpoint, table: TABLE, region: 'ap-northeast-1' });
    const db = await mysql.createConnection({ uri: ADMIN_URL });
    await freshWalletDb(db, DB);
    const { userIds, tokens } = await seedUsers(db, cognito.issuer, PAIRS * 2);
    await db.end();
    const wallet = await startBenchService('wallet', WALLET_PORT, {
      WALLET_DB_URL: dbUrl(ADMIN_URL, 'paychat_app', 'paychat_app_local', DB),
      WALLET_JOBS_ENABLED: 'false',
    });
    stops.unshift(() => wallet.stop());
    const messages = await startBenchService('messages', MESSAGES_PORT, {
      WALLET_URL: wallet.url,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      MESSAGES_TABLE: TABLE,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    });
    stops.unshift(() => messages.stop());
    const raw = new RawMessages(dynamo.endpoint, TABLE);
    stops.unshift(async () => raw.close());

    // PAIRS direct chats (user 2i and 2i+1); every caller's identity is resolved and cached here.
    const convs: string[] = [];
    for (let i = 0; i < PAIRS; i++) {
      const res = await fetch(`${messages.url}/v2/conversations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[2 * i]}`, 'content-type': 'application/json' },
        body: JSON.stringify({ memberIds: [userIds[2 * i + 1]] }),
      });
      convs.push(((await res.json()) as { id: string }).id);
      await fetch(`${messages.url}/v2/conversations/${convs[i]}`, {
        headers: { authorization: `Bearer ${tokens[2 * i + 1]}` },
      });
    }
    process.stdout.write(`${PAIRS} chats ready\n`);

    const sender = (pairs = PAIRS) => {
      const i = pick(pairs * 2);
      return { i, conv: convs[Math.floor(i / 2)], other: userIds[i ^ 1] };
    };
    for (let c = 0; c < READ_CHATS; c++)
      for (let n = 0; n <= PAGE; n++)
        await raw.send(convs[c], userIds[2 * c], userIds[2 * c + 1], randomUUID(), `history ${n}`);
    const sendReq = (req: autocannon.Request): autocannon.Request => {
      const { i, conv } = sender();
      return {
        ...req,
        path: `/v2/conversations/${conv}/messages`,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i]}` },
        body: JSON.stringify({ clientMessageId: randomUUID(), text: 'a message of about average length!' }),
      };
    };
    const readReq = (req: autocannon.Request): autocannon.Request => {
      const { i, conv } = sender(READ_CHATS);
      return {
        ...req,
        path: `/v2/conversations/${conv}/messages?limit=${PAGE}`,
        headers: { authorization: `Bearer ${tokens[i]}` },
      };
    };
    const url = messages.url;
    await loadHttp({ url, connections: 8, seconds: 3, method: 'POST', path: '/', setup: sendReq }); // warm-up

    const common = { clientCounts: CLIENT_COUNTS, seconds: SECONDS };
    rows.push(
      ...(await compare({
        ...common,
        scenario: 'send a message',
        http: { url, method: 'POST', path: '/', setup: sendReq },
        raw: () => {
          const { i, conv, other } = sender();
          return raw.send(conv, userIds[i], other, randomUUID(), 'a message of about average length!');
        },
      })),
      ...(await compare({
        ...common,
        scenario: `history page (${PAGE})`,
        http: { url, method: 'GET', path: '/', setup: readReq },
        raw: async () => {
          if ((await raw.page(sender(READ_CHATS).conv, PAGE)) < PAGE) throw new Error('short page');
        },
      })),
    );
  } finally {
    for (const stop of stops) await stop();
  }
  printTable(
    `messages: through the service (HTTP, auth, membership, fan-out) vs the same DynamoDB calls from the raw SDK — ${SECONDS}s each, DynamoDB Local`,
    rows,
  );
  process.stdout.write('target: service/raw ≥ 0.7 for both\n');
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
