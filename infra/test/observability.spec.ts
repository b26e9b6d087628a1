import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { MIN_REQUESTS_PER_MINUTE, SERVER_ERROR_CODES } from '../lib/observability/alarms';
import { APP_TELEMETRY_ENV, COLLECTOR_CONFIG, COLLECTOR_IMAGE } from '../lib/observability/collector-sidecar';
import { METRICS_LOG_GROUP, METRICS_NAMESPACE } from '../lib/observability/metrics';
import { APP_NAMES } from '../lib/secrets';
import { logicalId, ofType, synth, Synthesized } from './synth';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

type Props = Record<string, unknown>;
type Container = {
  Name: string;
  Essential?: boolean;
  Image: unknown;
  Environment?: { Name: string; Value: unknown }[];
  DependsOn?: { ContainerName: string; Condition: string }[];
  HealthCheck?: { Command: string[] };
  Memory?: number;
  MemoryReservation?: number;
};
type Dimension = { Name: string; Value: unknown };
type MetricStat = {
  Metric: { Namespace: string; MetricName: string; Dimensions: Dimension[] };
  Stat: string;
};
type Query = { Id: string; Expression?: string; MetricStat?: MetricStat };
type Collector = {
  receivers: {
    otlp: { protocols: { http: { endpoint: string } } };
    prometheus: {
      config: {
        scrape_configs: {
          static_configs: { targets: string[] }[];
          metric_relabel_configs: { regex: string; action: string }[];
        }[];
      };
    };
  };
  processors: Record<string, unknown>;
  exporters: {
    awsemf: {
      namespace: string;
      log_group_name: string;
      metric_declarations: { dimensions: string[][]; metric_name_selectors: string[] }[];
    };
    awsxray: unknown;
  };
  service: { pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }> };
};

/** A metric the alarms or the dashboard read from an app's /metrics, with the labels it selects. */
type AppSeries = { name: string; dimensions: string[] };

const ALARM = 'AWS::CloudWatch::Alarm';
const target = (ref: unknown) =>
  (ref as { 'Fn::GetAtt'?: [string] })['Fn::GetAtt']?.[0] ?? (ref as { Ref?: string }).Ref ?? '?';
const env = (c: Container) => Object.fromEntries(c.Environment!.map((e) => [e.Name, e.Value]));
const dims = (dimensions: Dimension[] = []) => dimensions.map((d) => d.Name).sort();

/** The production source of the apps and libraries (no tests): where metric names and log lines are defined. */
const SOURCE = ['apps', 'libs']
  .flatMap((dir) =>
    (readdirSync(join(ROOT, dir), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts') && !/\.(int-|e2e-)?spec\.ts$/.test(f))
      .map((f) => read(join(dir, f))),
  )
  .join('\n');
/** Snake-case names quoted in the source, a templated part (`wallet_${operation}_total`) as a wildcard. */
const QUOTED_NAMES = [...SOURCE.matchAll(/['`]([a-z][a-z0-9]*(?:_(?:[a-z0-9]+|\$\{\w+\}))+)['`]/g)].map(
  ([, name]) => new RegExp(`^${name.replace(/\$\{\w+\}/g, '[a-z]+')}$`),
);

describe('observability: collector, alarms, dashboard', () => {
  let s: Synthesized;
  let topic: string;
  let alarms: Map<string, Props>;
  let dashboard: { widgets: { type: string; properties: Props }[] };
  const collector = parse(COLLECTOR_CONFIG) as Collector;

  beforeAll(() => {
    s = synth().services;
    topic = logicalId(s.resources, 'AWS::SNS::Topic', 'ObservabilityAlarmTopic');
    alarms = new Map(ofType(s.resources, ALARM).map(([, p]) => [p.AlarmName as string, p]));
    const [[, board]] = ofType(s.resources, 'AWS::CloudWatch::Dashboard');
    const parts = (board.DashboardBody as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
    dashboard = JSON.parse(parts.map((p) => (typeof p === 'string' ? p : target(p))).join(''));
  });

  /** Every app metric the alarms and the dashboard read (log-derived ones aside). */
  const appSeries = (): AppSeries[] => {
    const fromAlarms = [...alarms.values()].flatMap((p) =>
      p.MetricName
        ? [
            {
              name: p.MetricName as string,
              namespace: p.Namespace,
              dimensions: dims(p.Dimensions as Dimension[]),
            },
          ]
        : (p.Metrics as Query[]).flatMap((q) =>
            q.MetricStat
              ? [
                  {
                    name: q.MetricStat.Metric.MetricName,
                    namespace: q.MetricStat.Metric.Namespace,
                    dimensions: dims(q.MetricStat.Metric.Dimensions),
                  },
                ]
              : [],
          ),
    );
    const fromDashboard = dashboard.widgets.flatMap((w) =>
      ((w.properties.metrics as unknown[][] | undefined) ?? []).flatMap((line) => {
        const [first] = line;
        if (typeof first === 'string') {
          const names = line.filter((x): x is string => typeof x === 'string');
          return [
            {
              name: names[1],
              namespace: first,
              dimensions: names
                .slice(2)
                .filter((_, i) => i % 2 === 0)
                .sort(),
            },
          ];
        }
        const search = /SEARCH\('\{(\w+),(\w+),service\} MetricName="(\w+)"/.exec(
          (first as Props).expression as string,
        );
        return search
          ? [{ name: search[3], namespace: search[1], dimensions: [search[2], 'service'].sort() }]
          : [];
      }),
    );
    return [...fromAlarms, ...fromDashboard].filter(
      (m) => m.namespace === METRICS_NAMESPACE && !['RequestDuration', 'LedgerUnbalanced'].includes(m.name),
    );
  };

  it('runs a non-essential ADOT collector beside every app, started before the app and stopped after it', () => {
    for (const [, task] of ofType(s.resources, 'AWS::ECS::TaskDefinition')) {
      const [app, sidecar] = task.ContainerDefinitions as Container[];
      expect(APP_NAMES).toContain(app.Name);
      expect(app.Essential).toBe(true);
      expect(env(app)).toMatchObject({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
        METRICS_PORT: '9464',
      });
      expect(app.DependsOn).toEqual([{ ContainerName: 'otel-collector', Condition: 'START' }]);
      expect(sidecar).toMatchObject({ Name: 'otel-collector', Essential: false, Image: COLLECTOR_IMAGE });
      expect(COLLECTOR_IMAGE).toMatch(/:v\d+\.\d+\.\d+$/);
      expect(env(sidecar).AOT_CONFIG_CONTENT).toBe(COLLECTOR_CONFIG);
      expect(sidecar.HealthCheck!.Command).toEqual(['CMD', '/healthcheck']);
      expect(sidecar.Memory).toBeGreaterThan(200); // the config's memory_limiter refuses data at 200 MiB
    }
  });

  it('has the collector take spans on the task loopback to X-Ray and scrape the app’s metrics port into EMF', () => {
    const otlp = new URL(APP_TELEMETRY_ENV.OTEL_EXPORTER_OTLP_ENDPOINT);
    expect(collector.receivers.otlp.protocols.http.endpoint).toBe(otlp.host);
    const [scrape] = collector.receivers.prometheus.config.scrape_configs;
    expect(scrape.static_configs).toEqual([{ targets: [`127.0.0.1:${APP_TELEMETRY_ENV.METRICS_PORT}`] }]);
    expect(collector.exporters.awsemf).toMatchObject({
      namespace: METRICS_NAMESPACE,
      log_group_name: METRICS_LOG_GROUP,
      log_stream_name: '{TaskId}',
    });
    s.template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: METRICS_LOG_GROUP,
      RetentionInDays: 30,
    });
    const { traces, metrics } = collector.service.pipelines;
    expect([traces.receivers, traces.exporters]).toEqual([['otlp'], ['awsxray']]);
    expect([metrics.receivers, metrics.exporters]).toEqual([['prometheus'], ['awsemf']]);
    // CloudWatch adds up what it gets: counters and histogram counts must arrive as per-scrape deltas.
    expect(metrics.processors).toContain('cumulativetodelta');
    for (const name of [...traces.processors, ...metrics.processors])
      expect(collector.processors).toHaveProperty(name);
    expect(COLLECTOR_CONFIG).not.toContain('$'); // the collector would expand it as a variable
  });

  it('publishes every app metric an alarm or the dashboard reads, under a name some app registers', () => {
    const series = appSeries();
    expect(series.length).toBeGreaterThan(20);
    const [
      {
        metric_relabel_configs: [keep],
      },
    ] = collector.receivers.prometheus.config.scrape_configs;
    expect(keep.action).toBe('keep');
    const declarations = collector.exporters.awsemf.metric_declarations;
    for (const { name, dimensions } of series) {
      const declared = declarations.some(
        (d) =>
          d.metric_name_selectors.some((selector) => new RegExp(selector).test(name)) &&
          d.dimensions.some((set) => [...set].sort().join() === dimensions.join()),
      );
      expect({ name, dimensions, declared, scraped: new RegExp(`^(?:${keep.regex})$`).test(name) }).toEqual({
        name,
        dimensions,
        declared: true,
        scraped: true,
      });
      expect({ name, registered: QUOTED_NAMES.some((quoted) => quoted.test(name)) }).toEqual({
        name,
        registered: true,
      });
    }
  });

  it('alarms on each service’s 5xx share: the ALB’s for the gateway and legacy, the app’s request count for the others', () => {
    for (const service of APP_NAMES) {
      const p = alarms.get(`paychat-${service}-5xx-rate`)!;
      expect(p).toMatchObject({
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 5,
        DatapointsToAlarm: 3,
        TreatMissingData: 'notBreaching',
      });
      const [rate, ...inputs] = p.Metrics as Query[];
      expect(rate.Expression).toMatch(
        new RegExp(`^IF\\(${service}_requests >= ${MIN_REQUESTS_PER_MINUTE}, 100 \\*`),
      );
      const stats = inputs.map((q) => ({
        name: q.MetricStat!.Metric.MetricName,
        stat: q.MetricStat!.Stat,
        code: q.MetricStat!.Metric.Dimensions.find((d) => d.Name === 'status_code')?.Value,
      }));
      if (service === 'gateway' || service === 'legacy') {
        expect(stats).toEqual([
          { name: 'HTTPCode_Target_5XX_Count', stat: 'Sum', code: undefined },
          { name: 'RequestCount', stat: 'Sum', code: undefined },
        ]);
      } else {
        const answers = { name: 'http_server_request_duration_seconds', stat: 'SampleCount' };
        expect(stats).toEqual([
          ...SERVER_ERROR_CODES.map((code) => ({ ...answers, code })),
          { ...answers, code: undefined },
        ]);
      }
    }
  });

  it('alarms on each service’s p99 latency over 2 s, from raw request durations (chat long-polls aside)', () => {
    for (const service of APP_NAMES) {
      const p = alarms.get(`paychat-${service}-p99-latency`)!;
      expect(p).toMatchObject({ Threshold: 2000, EvaluationPeriods: 3, DatapointsToAlarm: 2 });
      if (service === 'legacy') {
        const [ms, seconds] = p.Metrics as Query[];
        expect(ms.Expression).toBe('1000 * legacy_seconds');
        expect(seconds.MetricStat).toMatchObject({
          Metric: { MetricName: 'TargetResponseTime' },
          Stat: 'p99',
        });
      } else {
        expect(p).toMatchObject({
          Namespace: METRICS_NAMESPACE,
          MetricName: 'RequestDuration',
          ExtendedStatistic: 'p99',
        });
        expect(p.Dimensions).toEqual([{ Name: 'service', Value: service }]);
        s.template.hasResourceProperties('AWS::Logs::MetricFilter', {
          LogGroupName: { Ref: logicalId(s.resources, 'AWS::Logs::LogGroup', `Services${service}Logs`) },
          FilterPattern:
            '{ (($.msg = "request completed") || ($.msg = "request errored")) && ($.req.url != "*waitSeconds=*") }',
          MetricTransformations: [
            {
              MetricNamespace: METRICS_NAMESPACE,
              MetricName: 'RequestDuration',
              MetricValue: '$.ms',
              Dimensions: [{ Key: 'service', Value: '$.service' }],
              Unit: 'Milliseconds',
            },
          ],
        });
      }
    }
    // The access line those filters read: its duration is `ms` (the middleware's and the hook's).
    expect(SOURCE).toMatch(/responseTime: 'ms'/);
    expect(SOURCE).toMatch(/ms: Math\.round\(reply\.elapsedTime/);
  });

  it('alarms on the wallet: the outbox, refused events, overdue bank operations, an unbalanced ledger', () => {
    const wallet = [{ Name: 'service', Value: 'wallet' }];
    expect(alarms.get('paychat-outbox-oldest-undelivered')).toMatchObject({
      MetricName: 'wallet_outbox_oldest_undelivered_age_seconds',
      Dimensions: wallet,
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 120,
      EvaluationPeriods: 3,
      TreatMissingData: 'breaching', // silence from the wallet's metrics is itself a problem
    });
    expect(alarms.get('paychat-outbox-rejected-events')).toMatchObject({
      MetricName: 'wallet_outbox_rejected_events_total',
      Dimensions: wallet,
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0,
      EvaluationPeriods: 1,
    });
    expect(alarms.get('paychat-bank-operations-overdue')).toMatchObject({
      MetricName: 'wallet_rail_operations_overdue',
      Dimensions: wallet,
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 0,
      EvaluationPeriods: 3,
    });
    expect(alarms.get('paychat-ledger-unbalanced')).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      MetricName: 'LedgerUnbalanced',
      Statistic: 'Sum',
      Period: 60,
      Threshold: 0,
      EvaluationPeriods: 10,
      DatapointsToAlarm: 1, // the first line fires it; 10 quiet minutes clear it
    });
    s.template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: logicalId(s.resources, 'AWS::Logs::LogGroup', 'ServiceswalletLogs') },
      FilterPattern: '{ $.msg = "ledger_unbalanced" }',
      MetricTransformations: [
        {
          MetricNamespace: METRICS_NAMESPACE,
          MetricName: 'LedgerUnbalanced',
          MetricValue: '1',
          DefaultValue: 0,
        },
      ],
    });
    // The line it counts: the reconciler's, with ledger_unbalanced as its message.
    expect(read('apps/wallet/src/reconciliation/reconciler.ts')).toMatch(
      /\.error\(\{[^}]*\}, 'ledger_unbalanced'\)/,
    );
  });

  it('notifies the topic when any alarm fires and when it clears; nobody is subscribed unless configured', () => {
    expect([...alarms.keys()].sort()).toEqual(
      [
        ...APP_NAMES.flatMap((a) => [`paychat-${a}-5xx-rate`, `paychat-${a}-p99-latency`]),
        'paychat-outbox-oldest-undelivered',
        'paychat-outbox-rejected-events',
        'paychat-bank-operations-overdue',
        'paychat-ledger-unbalanced',
      ].sort(),
    );
    for (const [name, p] of alarms) {
      expect({ name, alarm: p.AlarmActions, ok: p.OKActions }).toEqual({
        name,
        alarm: [{ Ref: topic }],
        ok: [{ Ref: topic }],
      });
      expect(p.AlarmDescription).toContain(`docs/observability.md, alarm ${name}`);
    }
    // …where each has its line: what it means and what to do.
    const runbook = read('docs/observability.md');
    for (const name of [...alarms.keys(), 'paychat-task-stopped']) expect(runbook).toContain(`\`${name}\``);
    s.template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('tells the topic each time a service task stops unasked (not for deployments or scale-in)', () => {
    const [[, rule]] = ofType(s.resources, 'AWS::Events::Rule');
    expect(rule.EventPattern).toEqual({
      source: ['aws.ecs'],
      'detail-type': ['ECS Task State Change'],
      detail: {
        clusterArn: [expect.anything()],
        group: APP_NAMES.map((a) => `service:${a}`),
        lastStatus: ['STOPPED'],
        $or: [
          { stopCode: ['EssentialContainerExited', 'TaskFailedToStart'] },
          { stoppedReason: [{ prefix: 'Task failed' }] },
        ],
      },
    });
    const [sns] = rule.Targets as { Arn: unknown; InputTransformer: { InputTemplate: string } }[];
    expect(sns.Arn).toEqual({ Ref: topic });
    expect(sns.InputTransformer.InputTemplate).toContain('alarm paychat-task-stopped');
    s.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: 'sns:Publish', Principal: { Service: 'events.amazonaws.com' } }),
        ],
      },
    });
  });

  it('draws the business on one dashboard: money, the outbox and chat delivery, the bank, reconciliation', () => {
    const titles = dashboard.widgets.map((w) => w.properties.title as string);
    for (const topic of [
      'Transfers',
      'Payments',
      'Money moved',
      'Outbox',
      'Delivery lag',
      'Bank operations',
      'Reconciliation',
      '5xx',
      'p99',
    ])
      expect(titles.some((t) => t.startsWith(topic) || t.includes(topic))).toBe(true);
    const [status] = dashboard.widgets;
    expect(status.type).toBe('alarm');
    const alarmIds = ofType(s.resources, ALARM).map(([id]) => id);
    expect([...(status.properties.alarms as string[])].sort()).toEqual(alarmIds.sort());
    expect(appSeries().map((m) => m.name)).toEqual(
      expect.arrayContaining([
        'wallet_transfers_total',
        'wallet_money_moved_yen_total',
        'wallet_outbox_backlog_events',
        'wallet_outbox_delivery_lag_seconds',
        'messages_chat_delivery_lag_seconds',
        'wallet_rail_operations_pending',
        'wallet_reconciliation_mismatches',
        'wallet_reconciliation_last_full_pass_timestamp_seconds',
      ]),
    );
  });
});
