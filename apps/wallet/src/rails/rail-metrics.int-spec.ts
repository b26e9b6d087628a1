import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Metrics } from '@paychat/telemetry';
import { WalletHarness } from '../../../../test/harness/wallet-harness';
import { RecoveryJob } from './recovery.job';

describe('bank operations waiting on the bank, read at scrape time', () => {
  let w: WalletHarness;
  // The recovery job asks the bank about an operation one minute without news.
  beforeAll(async () => (w = await WalletHarness.start({ RECOVERY_AFTER_MS: '60000' })));
  afterAll(() => w.stop());

  const gauge = (name: string) => w.app.get(Metrics).valueOf(name, { rail: 'withdrawals' });
  /** Operations (of earlier test files, or made here) pass the recovery deadline at once. */
  const age = () =>
    w.db.query(`UPDATE withdrawals SET created_at = created_at - INTERVAL 1 HOUR,
                updated_at = updated_at - INTERVAL 1 HOUR WHERE status = 'pending'`);

  it('counts the pending ones per rail, those past the recovery deadline, and the oldest one’s age', async () => {
    await age();
    await w.app.get(RecoveryJob).runOnce(); // nothing left pending from earlier test files
    expect(await gauge('wallet_rail_operations_pending')).toBe(0);
    expect(await gauge('wallet_rail_operations_oldest_pending_age_seconds')).toBe(0);

    const u = await w.user(5_000, { verified: true });
    w.bank.options.timeoutRate = 1; // the bank's answer is lost: the withdrawal stays pending
    const res = await w.call('POST', '/v2/wallet/withdrawals', {
      token: u.token,
      key: randomUUID(),
      body: { amount: 1_000, bankAccountId: u.bankAccountId },
    });
    w.bank.options.timeoutRate = 0;
    expect(res.status).toBe(202);
    expect(await gauge('wallet_rail_operations_pending')).toBe(1);
    expect(await gauge('wallet_rail_operations_overdue')).toBe(0);

    await age();
    expect(await gauge('wallet_rail_operations_overdue')).toBe(1);
    expect(await gauge('wallet_rail_operations_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(3_600);
    expect(await w.app.get(Metrics).valueOf('wallet_rail_operations_pending', { rail: 'charges' })).toBe(0);

    await w.app.get(RecoveryJob).runOnce();
    expect(await gauge('wallet_rail_operations_pending')).toBe(0);
    expect(await gauge('wallet_rail_operations_overdue')).toBe(0);
  });

  it('leaves the gauges without a sample while their query fails, logged once, and the scrape still answers', async () => {
    const metrics = w.app.get(Metrics);
    const warnings = jest.spyOn(Logger.prototype, 'warn');
    const query = jest.spyOn(w.app.get(DataSource), 'query').mockRejectedValue(new Error('database down'));
    try {
      for (let scrape = 0; scrape < 3; scrape++) {
        const text = await metrics.registry.metrics();
        expect(text).toContain('# TYPE wallet_rail_operations_pending gauge');
        expect(text).not.toMatch(/^wallet_rail_operations_pending\{/m);
        expect(text).not.toMatch(/^wallet_outbox_backlog_events\{/m);
      }
      const failed = warnings.mock.calls.filter(([, msg]) => msg === 'metrics reading failed');
      expect(failed).toHaveLength(2); // the rails' reading and the outbox's, each once
    } finally {
      query.mockRestore();
      warnings.mockRestore();
    }
    expect(await metrics.registry.metrics()).toMatch(
      /^wallet_rail_operations_pending\{.*rail="charges".*\} 0$/m,
    );
  });
});
