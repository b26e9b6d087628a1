import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { AppService } from '../app-service';
import type { AppName } from '../secrets';
import { ledgerUnbalanced, requestDuration } from './log-metrics';
import { appMetric, MINUTE } from './metrics';

/** Below this many requests in a minute, a 5xx share says nothing (one error in three requests). */
export const MIN_REQUESTS_PER_MINUTE = 20;
/** The 5xx answers the apps give (a bug, and the gateway's upstream failures); 503 includes drains. */
export const SERVER_ERROR_CODES = ['500', '502', '503', '504'];

const { GREATER_THAN_THRESHOLD } = cloudwatch.ComparisonOperator;
const { BREACHING, NOT_BREACHING } = cloudwatch.TreatMissingData;

interface Rule {
  threshold: number;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  /** Missing data is healthy (nothing happened) unless said otherwise. */
  treatMissingData?: cloudwatch.TreatMissingData;
}

export interface AlarmsProps {
  topic: sns.ITopic;
  apps: Record<AppName, AppService>;
  /** The services behind the ALB: their 5xx and latency as the edge sees them. */
  targetGroups: Record<'gateway' | 'legacy', elbv2.ApplicationTargetGroup>;
}

type Series = cloudwatch.Metric | cloudwatch.MathExpression;

/** What the alarms watch per service, for the dashboard too. */
export interface ServiceHealth {
  /** Share of 5xx answers, in %. */
  errorRate: Series;
  /** p99 of request durations, in ms. */
  latencyP99: Series;
}

/**
 * The alarms, each notifying the topic when it fires and when it clears. Per service: the 5xx share
 * and the p99 latency. The wallet: the outbox's oldest undelivered event, events the chat refused,
 * bank operations past their deadline, and a reconciliation that found the ledger unbalanced.
 * docs/observability.md says what each means and what to do.
 */
export class Alarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly health = {} as Record<AppName, ServiceHealth>;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: AlarmsProps,
  ) {
    super(scope, id);
    const { apps, targetGroups } = props;
    for (const service of ['gateway', 'legacy'] as const) {
      const tg = targetGroups[service].metrics;
      const sum = { statistic: cloudwatch.Stats.SUM, period: MINUTE };
      this.watch(service, {
        errorRate: errorRate(
          service,
          [tg.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, sum)],
          tg.requestCount(sum),
        ),
        // Legacy has no long-polls, so the ALB's view is its own; the gateway's would be all chat waits.
        latencyP99:
          service === 'legacy'
            ? inMilliseconds(
                service,
                tg.targetResponseTime({ statistic: cloudwatch.Stats.p(99), period: Duration.minutes(5) }),
              )
            : requestDuration(this, service, apps[service].logGroup),
      });
    }
    for (const service of ['wallet', 'messages'] as const) {
      // The app's own request histogram: its count per status code is the number of answers.
      const answers = (labels?: Record<string, string>) =>
        appMetric(service, 'http_server_request_duration_seconds', cloudwatch.Stats.SAMPLE_COUNT, { labels });
      this.watch(service, {
        errorRate: errorRate(
          service,
          SERVER_ERROR_CODES.map((code) => answers({ status_code: code })),
          answers(),
        ),
        latencyP99: requestDuration(this, service, apps[service].logGroup),
      });
    }

    const max = cloudwatch.Stats.MAXIMUM;
    this.alarm(
      'outbox-oldest-undelivered',
      'The oldest outbox event has waited over 2 minutes for the chat (or the wallet sends no metrics).',
      appMetric('wallet', 'wallet_outbox_oldest_undelivered_age_seconds', max),
      {
        threshold: 120,
        evaluationPeriods: 3,
        // No data: the wallet, its collector or its scrape-time query is down, and nobody would see the outbox.
        treatMissingData: BREACHING,
      },
    );
    this.alarm(
      'outbox-rejected-events',
      'The chat refused outbox events; they wait for someone to look.',
      appMetric('wallet', 'wallet_outbox_rejected_events_total', cloudwatch.Stats.SUM, {
        period: Duration.minutes(5),
      }),
      {
        threshold: 0,
        evaluationPeriods: 1,
      },
    );
    this.alarm(
      'bank-operations-overdue',
      'Bank operations have had no answer past their deadline for 15 minutes.',
      appMetric('wallet', 'wallet_rail_operations_overdue', max, { period: Duration.minutes(5) }),
      {
        threshold: 0,
        evaluationPeriods: 3,
      },
    );
    this.alarm(
      'ledger-unbalanced',
      'A reconciliation pass found the ledger unbalanced.',
      ledgerUnbalanced(this, apps.wallet.logGroup),
      // Fires on the first line, clears after 10 quiet minutes: one notification per incident,
      // not a fire-and-clear pair for each pass (a minute apart) that finds it again.
      { threshold: 0, evaluationPeriods: 10, datapointsToAlarm: 1 },
    );
  }

  private watch(service: AppName, health: ServiceHealth): void {
    this.health[service] = health;
    this.alarm(`${service}-5xx-rate`, `Over 5% of ${service}'s answers are 5xx.`, health.errorRate, {
      threshold: 5,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });
    this.alarm(`${service}-p99-latency`, `${service}'s p99 latency is over 2 s.`, health.latencyP99, {
      threshold: 2000,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
  }

  private alarm(name: string, meaning: string, metric: cloudwatch.IMetric, rule: Rule): void {
    const alarm = new cloudwatch.Alarm(this, name, {
      alarmName: `paychat-${name}`,
      alarmDescription: `${meaning} What to do: docs/observability.md, alarm paychat-${name}.`,
      metric,
      comparisonOperator: GREATER_THAN_THRESHOLD,
      treatMissingData: NOT_BREACHING,
      ...rule,
    });
    const notify = new actions.SnsAction(this.props.topic);
    alarm.addAlarmAction(notify);
    alarm.addOkAction(notify);
    this.alarms.push(alarm);
  }
}

/**
 * 100 × errors / requests, 0 below MIN_REQUESTS_PER_MINUTE; a minute without errors has no error
 * datapoint. Ids carry the service: the dashboard draws every service's in one graph.
 */
function errorRate(
  service: AppName,
  errors: cloudwatch.IMetric[],
  requests: cloudwatch.IMetric,
): cloudwatch.MathExpression {
  const ids = errors.map((_, i) => `${service}_errors${i}`);
  const total = `${service}_requests`;
  return new cloudwatch.MathExpression({
    expression: `IF(${total} >= ${MIN_REQUESTS_PER_MINUTE}, 100 * (${ids.map((id) => `FILL(${id}, 0)`).join(' + ')}) / ${total}, 0)`,
    usingMetrics: { ...Object.fromEntries(ids.map((id, i) => [id, errors[i]])), [total]: requests },
    period: MINUTE,
    label: '5xx %',
  });
}

/** An ALB duration (seconds) in ms, like the others. */
function inMilliseconds(service: AppName, metric: cloudwatch.IMetric): cloudwatch.MathExpression {
  const id = `${service}_seconds`;
  return new cloudwatch.MathExpression({
    expression: `1000 * ${id}`,
    usingMetrics: { [id]: metric },
    period: Duration.minutes(5),
    label: 'p99 ms',
  });
}
