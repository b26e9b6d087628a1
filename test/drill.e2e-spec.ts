import { runScenario, type ScenarioResult } from '../bench/lib/drill-scenario';
import { type Drill, startDrill } from '../bench/lib/drill-stack';
import { Teardown } from '../bench/lib/teardown';
import { TEST_COGNITO_PORT, testEnv } from './test-env';

/**
 * Two scenarios of `npm run drill`, short, on the built apps as processes (needs `npm run build`
 * first; `npm test` does it): two wallet instances behind the gateway, phone-like clients under
 * mixed load. A rolling restart of the wallet fails no request; every wallet DB connection killed
 * costs clients at most retried 503s with Retry-After; money and chat invariants hold after both.
 */
const SLOT = Number(process.env.TEST_SLOT ?? 0);
const BASE = 25_000 + SLOT * 20;

describe('deploy drill (built apps as processes)', () => {
  const teardown = new Teardown();
  let drill: Drill;

  beforeAll(async () => {
    // The apps run as `npm run drill` runs them, not with the settings the global setup gave the tests.
    for (const name of Object.keys(testEnv())) delete process.env[name];
    drill = await startDrill({
      ports: {
        gateway: BASE,
        wallet: [BASE + 1, BASE + 2],
        messages: BASE + 3, // one instance: these scenarios leave messages alone
        legacy: BASE + 4,
        dynamo: BASE + 5,
        cognito: TEST_COGNITO_PORT,
      },
      // cognito-local cannot load inside Jest (ESM): the global setup's one serves.
      cognitoEndpoint: `http://127.0.0.1:${TEST_COGNITO_PORT}`,
      pairs: 6,
      clients: { longPolls: 2, thinkMs: 20 },
      timing: { beforeMs: 1_500, afterMs: 2_500, settleMs: 30_000 },
      walletDb: `paychat_drill_test_wallet_s${SLOT}`,
      table: `paychat-drill-test-s${SLOT}`,
      logPrefix: `drill-test-s${SLOT}`,
      teardown,
      progress: () => undefined,
    });
  }, 90_000);
  afterAll(() => teardown.run(), 60_000);

  const run = (name: string): Promise<ScenarioResult> =>
    runScenario(
      drill.world,
      drill.scenarios.find((s) => s.name === name)!,
    );
  /** The fields a failure should show: what clients met, and every invariant. */
  const seen = (r: ScenarioResult) => ({ failedBy: r.failedBy, invariants: r.invariants });

  it('a rolling restart of the wallet fails no request, and every invariant holds', async () => {
    const result = await run('wallet rolling restart');
    expect(result.requests).toBeGreaterThan(100);
    expect(seen(result)).toEqual({ failedBy: {}, invariants: expect.objectContaining({ ok: true }) });
  }, 60_000);

  it('dropped wallet DB connections cost at most retried 503s with Retry-After, and every invariant holds', async () => {
    const result = await run('wallet DB connections dropped');
    expect(result.steps).toEqual([{ killedConnections: expect.any(Number) }]);
    expect(result.steps[0].killedConnections).toBeGreaterThan(0);
    expect(seen(result)).toEqual({ failedBy: {}, invariants: expect.objectContaining({ ok: true }) });
    for (const retried of Object.keys(result.retriedBy)) expect(retried).toMatch(/^503 .*\(Retry-After\)$/);
  }, 60_000);
});
