/**
 * `npm run legacy:balance-writes -- read_only|enabled`: the operator's switch for the balance
 * carve-out (README runbook, step 1). Every legacy balance write share-locks this setting, so the
 * UPDATE waits for the writes in flight: when it returns, legacy balances are frozen and drained.
 */
import mysql from 'mysql2/promise';
import { LegacyEnv } from '../apps/legacy/src/legacy.env';
import { loadConfig } from '@paychat/config';

const value = process.argv[2];
const url = loadConfig(LegacyEnv).LEGACY_DB_URL;

async function main(): Promise<void> {
  if (value !== 'read_only' && value !== 'enabled')
    throw new Error('usage: legacy:balance-writes -- read_only|enabled');
  const db = await mysql.createConnection({ uri: url });
  try {
    const started = Date.now();
    await db.query(`UPDATE settings SET value = ? WHERE name = 'balance_writes'`, [value]);
    process.stdout.write(
      `legacy balance writes: ${value}${value === 'read_only' ? ` (in-flight writes drained in ${Date.now() - started} ms)` : ''}\n`,
    );
  } finally {
    await db.end();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
