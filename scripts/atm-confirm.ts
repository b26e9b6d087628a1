import { randomUUID } from 'node:crypto';
import { BaseEnv, loadConfig } from '@paychat/config';
import { postSigned, ServiceKeys } from '@paychat/signing';

/**
 * The local ATM network simulator: `npm run atm:confirm -- <code> [approved|declined]` confirms an
 * ATM session's code at the wallet, signed as the `atm-network` caller — as a real ATM network would.
 */
async function main(): Promise<void> {
  const [code, outcome = 'approved'] = process.argv.slice(2);
  if (!code) throw new Error('usage: npm run atm:confirm -- <8-digit code> [approved|declined]');
  const key = ServiceKeys.parse(loadConfig(BaseEnv).INTERNAL_SECRETS, 'atm-network').signingKey('wallet');
  const answer = await postSigned(
    {
      baseUrl: process.env.WALLET_URL ?? 'http://127.0.0.1:3001',
      key,
      timeoutMs: 5_000,
    },
    '/internal/atm/confirmations',
    { code, outcome, reference: `sim-${randomUUID()}` },
  );
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`atm:confirm failed: ${err.message}\n`);
  process.exit(1);
});
