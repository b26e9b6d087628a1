/**
 * `npm run dev:reset`: forgets all local state: `.local/` (DynamoDB Local data, cognito-local users)
 * and the local MySQL databases and DB users that `npm run migrate` created.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection, RowDataPacket } from 'mysql2/promise';
import { assertMysqlReachable, DEFAULT_MYSQL_URL, redactUrl } from './local/mysql';
import { repoRoot, tcpOpen } from './local/processes';

const DATABASES = [
  process.env.WALLET_DB_NAME ?? 'paychat_wallet',
  process.env.LEGACY_DB_NAME ?? 'paychat_legacy',
];
const DB_USERS = ['paychat_migrator', 'paychat_app', 'paychat_janitor', 'paychat_legacy'];
type ResultRows = RowDataPacket[];

async function main(): Promise<void> {
  // A running cognito-local would write its files back (and keep its users in memory).
  if (await tcpOpen('127.0.0.1', 9229))
    throw new Error('Something listens on port 9229: stop `npm run dev` first.');

  const stateDir = join(repoRoot(), '.local');
  if (existsSync(stateDir)) {
    rmSync(stateDir, { recursive: true, force: true });
    console.log(`removed ${stateDir}`);
  } else {
    console.log(`${stateDir} did not exist`);
  }

  const url = process.env.MYSQL_URL ?? DEFAULT_MYSQL_URL;
  await assertMysqlReachable(url);
  const db = await createConnection({ uri: url });
  let dropped = 0;
  try {
    for (const name of DATABASES) {
      const [found] = await db.query<ResultRows>(
        'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
        [name],
      );
      if (!found.length) continue;
      await db.query(`DROP DATABASE ${db.escapeId(name)}`);
      console.log(`dropped database ${name}`);
      dropped++;
    }
    const [users] = await db.query<ResultRows>(
      'SELECT User AS user, Host AS host FROM mysql.user WHERE User IN (?)',
      [DB_USERS],
    );
    for (const { user, host } of users) {
      await db.query('DROP USER ?@?', [user, host]);
      console.log(`dropped user '${user}'@'${host}'`);
      dropped++;
    }
  } finally {
    await db.end();
  }
  if (!dropped) console.log(`no paychat databases or users in MySQL at ${redactUrl(url)}`);
  console.log('done: `npm run dev` recreates everything.');
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
