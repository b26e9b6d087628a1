import { shutdown } from '@paychat/platform';
import { OutboxRelay } from '../outbox/outbox.relay';
import { WalletHarness } from '../../../../test/harness/wallet-harness';

const GRACE_MS = 500;

describe('wallet shutdown with a slow relay batch in flight', () => {
  it('fails readiness at once, starts no new run, and stops without waiting for the batch', async () => {
    const w = await WalletHarness.start({
      WALLET_JOBS_ENABLED: 'true',
      OUTBOX_RELAY_INTERVAL_MS: '100',
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
    });
    let finishBatch!: () => void;
    let batchStarted!: () => void;
    const inFlight = new Promise<void>((resolve) => (batchStarted = resolve));
    // A batch that would take minutes (a slow consumer): only the test ends it, after the app has stopped.
    const runs = jest.spyOn(w.app.get(OutboxRelay), 'runOnce').mockImplementation(() => {
      batchStarted();
      return new Promise((resolve) => (finishBatch = () => resolve(0)));
    });
    try {
      await inFlight;
      const started = Date.now();
      const stopped = shutdown(w.app);
      const ready = await w.call('GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(GRACE_MS);
      await stopped;
      // The grace period, at most a second for the jobs, closing the pool: well short of the batch.
      expect(Date.now() - started).toBeLessThan(GRACE_MS + 3_000);
      expect(runs).toHaveBeenCalledTimes(1);
    } finally {
      finishBatch?.();
      await w.db.end();
    }
  });
});
