import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { AppName } from '../secrets';

/** The CloudWatch namespace of everything paychat publishes itself (the collector's awsemf namespace too). */
export const METRICS_NAMESPACE = 'Paychat';

/** Where the collectors write EMF (the collector's awsemf log_group_name too). */
export const METRICS_LOG_GROUP = '/paychat/metrics';

export const MINUTE = Duration.minutes(1);

export interface AppMetricOptions {
  /** Label values beyond `service` (each must be one of the collector's declared dimension sets). */
  labels?: Record<string, string>;
  period?: Duration;
  label?: string;
}

/**
 * One series of an app's `/metrics` as the collector publishes it: the Prometheus name, the
 * `service` dimension. Gauges read from the database at scrape time report the same value from
 * every task: read them with Maximum, never Sum.
 */
export function appMetric(
  service: AppName,
  metricName: string,
  statistic: string,
  opts: AppMetricOptions = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service, ...opts.labels },
    statistic,
    period: opts.period ?? MINUTE,
    label: opts.label,
  });
}

/** One line per value of a label (dashboards only: an alarm cannot use SEARCH). */
export function perLabel(
  service: AppName,
  metricName: string,
  label: string,
  statistic: string,
  period: Duration = MINUTE,
): cloudwatch.MathExpression {
  const schema = `{${METRICS_NAMESPACE},${label},service}`;
  return new cloudwatch.MathExpression({
    expression: `SEARCH('${schema} MetricName="${metricName}" service="${service}"', '${statistic}', ${period.toSeconds()})`,
    usingMetrics: {},
    period,
    label: `\${PROP('Dim.${label}')}`, // each line named by its label's value
  });
}
