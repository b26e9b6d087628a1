import type mysql from 'mysql2/promise';
import type { Chat } from './chats';
import { PhoneClient, Tally } from './drill-client';
import type { Progress, Steps } from './drill-faults';
import { checkInvariants, type Invariants } from './drill-invariants';
import type { MixedLoad } from './drill-load';

export interface Scenario {
  name: string;
  /** A deploy: clients must see no failure at all. Otherwise an outage: only retried 503s with Retry-After. */
  deploy: boolean;
  act: (progress: Progress) => Promise<Steps>;
}

export interface DrillWorld {
  client: PhoneClient;
  load: MixedLoad;
  db: mysql.Connection;
  dynamoEndpoint: string;
  table: string;
  chats: Chat[];
  chargedIn: number;
  progress: Progress;
  /** Load before the fault, and after it has been dealt with. */
  beforeMs: number;
  afterMs: number;
  /** How long the relay may take to deliver every event once the load stops. */
  settleMs: number;
}

export interface ScenarioResult {
  scenario: string;
  requests: number;
  failed: number;
  failedBy: Record<string, number>;
  /** Answers the clients retried on (each retried request may count several). */
  retriedBy: Record<string, number>;
  /** From the fault until the last answer that was not a success, or to a request retried after one (0: none). */
  recoveryMs: number;
  /** The longest a retried request took, all its attempts and waits included. */
  longestRetriedMs: number;
  /** How long the fault itself took (e.g. both instances replaced). */
  actionMs: number;
  /** From the end of the load until every event was delivered (null: not within settleMs). */
  settledMs: number | null;
  steps: Steps;
  invariants: Invariants;
  /** The issue's target: deploys no failed request; outages only retried 503s with Retry-After; every invariant. */
  met: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const counts = (m: Map<string, number>) => Object.fromEntries([...m].sort((a, b) => b[1] - a[1]));
const brief = (t: Tally) =>
  `${t.requests} requests, ${t.failures} failed${t.failures ? ` ${JSON.stringify(counts(t.failed))}` : ''}, ` +
  `${t.retries} retried${t.retries ? ` ${JSON.stringify(counts(t.retried))}` : ''}`;

/**
 * One scenario under load: the load runs `beforeMs`, the fault is made (the load goes on), the load
 * runs `afterMs` more and stops; once the relay has delivered everything, the invariants are checked
 * over everything done so far. Progress every 2 s.
 */
export async function runScenario(world: DrillWorld, scenario: Scenario): Promise<ScenarioResult> {
  const { client, load, progress } = world;
  const tally = new Tally();
  client.tally = tally;
  const began = Date.now();
  const ticker = setInterval(
    () => progress(`  ${scenario.name}, ${((Date.now() - began) / 1000).toFixed(0)} s: ${brief(tally)}`),
    2000,
  );
  load.start();
  let faultAt: number;
  let steps: Steps;
  let actionMs: number;
  try {
    await sleep(world.beforeMs);
    faultAt = Date.now();
    progress(`  ${scenario.name}: now`);
    steps = await scenario.act(progress);
    actionMs = Date.now() - faultAt;
    await sleep(world.afterMs);
  } finally {
    await load.stop();
    clearInterval(ticker);
  }
  progress(`  ${scenario.name}: load stopped; ${brief(tally)}`);
  const settledMs = await settle(world.db, world.settleMs);
  const invariants = await checkInvariants({ ...world, keys: load.keys });
  const onlyRetried503s = [...tally.retried.keys()].every((k) => /^503 .*\(Retry-After\)$/.test(k));
  return {
    scenario: scenario.name,
    requests: tally.requests,
    failed: tally.failures,
    failedBy: counts(tally.failed),
    retriedBy: counts(tally.retried),
    recoveryMs: tally.troubleEndedAt > faultAt ? tally.troubleEndedAt - faultAt : 0,
    longestRetriedMs: tally.longestRetriedMs,
    actionMs,
    settledMs,
    steps,
    invariants,
    met: tally.failures === 0 && invariants.ok && (scenario.deploy || onlyRetried503s),
  };
}

/** Waits until the outbox has no undelivered event; how long that took, or null after `maxMs`. */
async function settle(db: mysql.Connection, maxMs: number): Promise<number | null> {
  const start = Date.now();
  for (;;) {
    const [[row]] = (await db.query(
      'SELECT COUNT(*) AS n FROM outbox WHERE delivered_at IS NULL',
    )) as unknown as [[{ n: string }]];
    if (Number(row.n) === 0) return Date.now() - start;
    if (Date.now() - start > maxMs) return null;
    await sleep(250);
  }
}
