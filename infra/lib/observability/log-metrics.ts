import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { AppName } from '../secrets';
import { METRICS_NAMESPACE } from './metrics';

const { all, any, stringValue } = logs.FilterPattern;

/**
 * The apps' access log line (pino JSON, one per request: `request completed`, or `request errored`
 * for a 5xx) without chat long-polls, which wait up to `waitSeconds` by design and would be the
 * whole tail (the redacted URL keeps the parameter's name).
 */
export const ACCESS_LINE = all(
  any(stringValue('$.msg', '=', 'request completed'), stringValue('$.msg', '=', 'request errored')),
  stringValue('$.req.url', '!=', '*waitSeconds=*'),
);

/**
 * Each request's duration (`ms`) from an app's access log, by service. Published value by value,
 * so CloudWatch has true percentiles, which it cannot compute from the collector's histograms (EMF
 * sends a Prometheus histogram as count, sum, min and max only).
 */
export function requestDuration(
  scope: Construct,
  service: AppName,
  logGroup: logs.ILogGroup,
): cloudwatch.Metric {
  const filter = new logs.MetricFilter(scope, `${service}RequestDuration`, {
    logGroup,
    filterPattern: ACCESS_LINE,
    metricNamespace: METRICS_NAMESPACE,
    metricName: 'RequestDuration',
    metricValue: '$.ms',
    dimensions: { service: '$.service' },
    unit: cloudwatch.Unit.MILLISECONDS,
  });
  return filter.metric({
    dimensionsMap: { service },
    statistic: cloudwatch.Stats.p(99),
    period: Duration.minutes(5),
  });
}

/** A reconciliation pass that found the ledger unbalanced logs `ledger_unbalanced` (the wallet's reconciler). */
export function ledgerUnbalanced(scope: Construct, walletLogs: logs.ILogGroup): cloudwatch.Metric {
  const filter = new logs.MetricFilter(scope, 'LedgerUnbalanced', {
    logGroup: walletLogs,
    filterPattern: stringValue('$.msg', '=', 'ledger_unbalanced'),
    metricNamespace: METRICS_NAMESPACE,
    metricName: 'LedgerUnbalanced',
    metricValue: '1',
    defaultValue: 0,
  });
  return filter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(1) });
}
