/**
 * `npm run bench:wallet`: transfers/s and latency through the wallet service over HTTP vs a raw
 * mysql2 script running the same SQL, on the same MariaDB, at 8 and 32 clients; uniform pairs
 * among 10,000 accounts, and every payment into one merchant (a hot row). Not a test.
 */
import type autocannon from 'autocannon';
import mysql from 'mysql2/promise';
import { ulid } from 'ulid';
import { dbUrl } from '../scripts/migrate/migrate';
import { checkLedger } from '../apps/wallet/src/testing/ledger-invariants';
import { compare, loadHttp, moneyPost, printTable, Row } from './lib/measure';
import {
  ADMIN_URL,
  freshWalletDb,
  pick,
  SECONDS,
  seedUsers,
  startBenchCognito,
  startBenchService,
} from './lib/stack';
import { RawWallet } from './wallet-raw';

const DB = 'paychat_bench_wallet';
const ACCOUNTS = 10_000;
const OPENING = 10_000_000;
const COGNITO_PORT = 29330;
const WALLET_PORT = 23101;
const CLIENT_COUNTS = (process.env.BENCH_CLIENTS ?? '8,32').split(',').map(Number);
const ROOMY = { perOperation: 1_000_000, daily: 1e12, monthly: 1e12, maxBalance: 1e12 };
const MERCHANT = '01BENCHMERCHANT00000000000';

async function seed(db: mysql.Connection, issuer: string) {
  await freshWalletDb(db, DB);
  const { userIds, tokens } = await seedUsers(db, issuer, ACCOUNTS, OPENING);
  await db.query(`INSERT INTO merchants (id, name) VALUES (?, 'Bench Mart')`, [MERCHANT]);
  await db.query(`INSERT INTO accounts (kind, owner_id) VALUES ('merchant', ?)`, [MERCHANT]);
  // Opening balances as one balanced entry, so the ledger check at the end means something.
  const [entry] = (await db.query(`INSERT INTO journal_entries (kind, op_id) VALUES ('opening_balance', ?)`, [
    ulid(),
  ])) as unknown as [{ insertId: number }];
  await db.query(
    `INSERT INTO postings (entry_id, account_id, amount, seq, balance_after, op_type, op_id)
     SELECT ?, id, ?, 1, ?, 'opening_balance', 'BENCHOPENING00000000000000' FROM accounts WHERE kind = 'user'`,
    [entry.insertId, OPENING, OPENING],
  );
  await db.query(
    `INSERT INTO postings (entry_id, account_id, amount, op_type, op_id)
     SELECT ?, id, ?, 'opening_balance', 'BENCHOPENING00000000000000' FROM accounts WHERE system_code = 'legacy_migration'`,
    [entry.insertId, -OPENING * ACCOUNTS],
  );
  const [rows] = (await db.query(`SELECT id, owner_id FROM accounts WHERE kind = 'user'`)) as unknown as [
    { id: string; owner_id: string }[],
  ];
  const accountOf = new Map(rows.map((r) => [r.owner_id, String(r.id)]));
  return { userIds, tokens, accountIds: userIds.map((u) => accountOf.get(u)!) };
}

async function main(): Promise<void> {
  const cognito = await startBenchCognito(COGNITO_PORT);
  const db = await mysql.createConnection({
    uri: ADMIN_URL,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  const { userIds, tokens, accountIds } = await seed(db, cognito.issuer);
  process.stdout.write(`seeded ${ACCOUNTS} accounts\n`);
  const runtimeUrl = dbUrl(ADMIN_URL, 'paychat_app', 'paychat_app_local', DB);
  const rows: Row[] = [];
  const raw = await RawWallet.open(runtimeUrl, 32);
  const wallet = await startBenchService('wallet', WALLET_PORT, {
    WALLET_DB_URL: runtimeUrl,
    WALLET_JOBS_ENABLED: 'false',
    // Limits are still checked (same queries as production), just never hit by the load.
    KYC_LIMITS: JSON.stringify({ none: ROOMY, verified: ROOMY }),
  }).catch(async (err: Error) => {
    await raw.close();
    throw err;
  });
  const url = wallet.url;
  try {
    const transferReq = (req: autocannon.Request): autocannon.Request => {
      const from = pick(ACCOUNTS);
      const to = (from + 1 + pick(ACCOUNTS - 1)) % ACCOUNTS;
      return moneyPost(req, tokens[from], { toUserId: userIds[to], amount: 1 + pick(100) });
    };
    const paymentReq = (req: autocannon.Request): autocannon.Request => {
      return moneyPost(req, tokens[pick(ACCOUNTS)], { merchantId: MERCHANT, amount: 1 + pick(100) });
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

    const payer = (i: number) => ({ userId: userIds[i], accountId: accountIds[i] });
    const common = { clientCounts: CLIENT_COUNTS, seconds: SECONDS };
    rows.push(
      ...(await compare({
        ...common,
        scenario: 'transfer, uniform',
        http: { url, method: 'POST', path: '/v2/wallet/transfers', setup: transferReq },
        raw: (c) => {
          const from = pick(ACCOUNTS);
          const to = (from + 1 + pick(ACCOUNTS - 1)) % ACCOUNTS;
          return raw.transfer(c, payer(from), userIds[to], 1 + pick(100));
        },
      })),
      ...(await compare({
        ...common,
        scenario: 'payment, hot merchant',
        http: { url, method: 'POST', path: '/v2/wallet/payments', setup: paymentReq },
        raw: (c) => raw.payment(c, payer(pick(ACCOUNTS)), MERCHANT, 1 + pick(100)),
      })),
    );
  } finally {
    await raw.close();
    await wallet.stop();
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
