/**
 * `npm run drill`: what a deploy and each outage look like to phones. The built stack (gateway;
 * two wallet and two messages instances, both addresses in the gateway's static discovery; legacy;
 * DynamoDB Local on disk; cognito-local; Redis if it answers) under mixed load from clients that
 * retry as a phone does (same Idempotency-Key, on network errors, 503 and 429, after Retry-After,
 * a bounded number of times), while, one after another: a rolling restart of the wallet and of
 * messages (as ECS deploys), `kill -9` of one wallet instance, every wallet DB connection killed,
 * DynamoDB Local killed and restarted, both messages instances killed and restarted. Per scenario:
 * requests, failures by status, the answers retried on, recovery time and the invariants (money
 * conserved, zero-sum transfers, one effect per key, one chat message per transfer, in the order
 * money moved); then a table, and one JSON line per scenario. Exits 1 when a scenario misses its
 * target (deploys: 0 failed requests; outages: only 503s with Retry-After that succeed on retry;
 * every invariant). Logs: .local/bench/drill-<app>.log. Settings (env): DRILL_PAIRS,
 * DRILL_LONG_POLLS, DRILL_THINK_MS, DRILL_BEFORE_SECONDS, DRILL_AFTER_SECONDS,
 * DRILL_SETTLE_SECONDS, DRILL_SCENARIOS (names, comma-separated); MYSQL_URL, REDIS_URL.
 */
import { startDrill } from './lib/drill-stack';
import { runScenario, type ScenarioResult } from './lib/drill-scenario';
import { Teardown } from './lib/teardown';

const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const PORTS = {
  gateway: 23500,
  wallet: [23501, 23511],
  messages: [23502, 23512],
  legacy: 23503,
  dynamo: 28003,
  cognito: 29335,
};

const t0 = Date.now();
const progress = (line: string) =>
  process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

async function main(): Promise<void> {
  const teardown = new Teardown();
  const results: ScenarioResult[] = [];
  try {
    const { world, scenarios } = await startDrill({
      ports: PORTS,
      pairs: setting('DRILL_PAIRS', 24),
      clients: { longPolls: setting('DRILL_LONG_POLLS', 4), thinkMs: setting('DRILL_THINK_MS', 20) },
      timing: {
        beforeMs: setting('DRILL_BEFORE_SECONDS', 5) * 1000,
        afterMs: setting('DRILL_AFTER_SECONDS', 10) * 1000,
        settleMs: setting('DRILL_SETTLE_SECONDS', 90) * 1000,
      },
      walletDb: 'paychat_drill_wallet',
      table: 'paychat-drill',
      logPrefix: 'drill',
      teardown,
      progress,
    });
    const only = process.env.DRILL_SCENARIOS?.split(',').map((s) => s.trim());
    for (const scenario of scenarios.filter((s) => !only || only.includes(s.name))) {
      progress(`${scenario.name}`);
      const result = await runScenario(world, scenario);
      progress(`  ${result.met ? 'target met' : 'TARGET MISSED'}: ${JSON.stringify(result.invariants)}`);
      results.push(result);
    }
  } finally {
    await teardown.run();
  }
  printTable(results);
  for (const result of results) process.stdout.write(`${JSON.stringify(result)}\n`);
  if (results.some((r) => !r.met)) process.exitCode = 1;
}

function printTable(results: ScenarioResult[]): void {
  const head = [
    'scenario',
    'requests',
    'failed',
    'failed by status',
    'retried on',
    'recovery s',
    'longest retried s',
    'invariants',
    'target',
  ];
  const seconds = (ms: number | null) => (ms === null ? '—' : (ms / 1000).toFixed(1));
  const statuses = (m: Record<string, number>) =>
    Object.entries(m)
      .map(([k, n]) => `${k} ×${n}`)
      .join(', ') || '—';
  const broken = (r: ScenarioResult) => {
    const { conservation: c, zeroSum: z, oneEffectPerKey: k, chatMessages: m, chatOrder: o } = r.invariants;
    return (
      [
        c.balances !== c.chargedIn || c.ledgerGap || c.accountsOffPostings ? 'conservation' : '',
        z.notZeroSum || z.unbalancedEntries ? 'zero-sum' : '',
        k.appliedTwice || k.answeredOtherTransfer || k.unknownKeys ? 'one effect per key' : '',
        m.missing || m.duplicated ? `chat messages (${m.missing} missing, ${m.duplicated} twice)` : '',
        o.outOfOrder ? `chat order (${o.outOfOrder} in ${o.chats} chats, ≤ ${seconds(o.maxBehindMs)} s)` : '',
      ]
        .filter(Boolean)
        .join('; ') || 'all hold'
    );
  };
  const rows = results.map((r) => [
    r.scenario,
    String(r.requests),
    String(r.failed),
    statuses(r.failedBy),
    statuses(r.retriedBy),
    seconds(r.recoveryMs),
    seconds(r.longestRetriedMs),
    broken(r),
    r.met ? 'met' : 'MISSED',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((cells) => cells[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  process.stdout.write(
    ['', line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line), ''].join('\n'),
  );
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
