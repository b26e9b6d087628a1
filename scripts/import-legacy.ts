/**
 * `npm run wallet:import-legacy`: imports every legacy balance as an opening_balance entry (README
 * runbook, step 2), then prints the verification report. Idempotent and resumable: run it again
 * after a crash, or to see the report. Exit code 0 only when legacy and imported totals agree.
 */
import { NestFactory } from '@nestjs/core';
import mysql from 'mysql2/promise';
import { LegacyEnv } from '../apps/legacy/src/legacy.env';
import { loadConfig } from '@paychat/config';
import { LegacyImport } from '../apps/wallet/src/legacy/legacy-import';
import { WalletEnv } from '../apps/wallet/src/wallet.env';
import { WalletModule } from '../apps/wallet/src/wallet.module';

// The SDK's "Node 22 from 2027" notice says nothing to an operator running a one-off import.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const legacyUrl = loadConfig(LegacyEnv).LEGACY_DB_URL;

async function main(): Promise<number> {
  // The wallet itself (its runtime DB user, its ledger code), without HTTP or background jobs.
  const config = loadConfig(WalletEnv, { ...process.env, WALLET_JOBS_ENABLED: 'false' });
  const app = await NestFactory.createApplicationContext(WalletModule.forRoot(config), {
    logger: ['warn', 'error'],
  });
  const legacy = mysql.createPool({ uri: legacyUrl, supportBigNumbers: true, bigNumberStrings: true });
  try {
    const report = await app.get(LegacyImport).run(legacy);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const agree = report.differences.length === 0 && report.legacy.total === report.imported.total;
    process.stdout.write(
      agree ? 'verified: legacy total = imported total\n' : 'NOT VERIFIED: see differences\n',
    );
    return agree ? 0 : 1;
  } finally {
    await legacy.end();
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`import failed: ${err.message}\n`);
    process.exit(1);
  },
);
