import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { AppName } from '../secrets';
import type { ServiceHealth } from './alarms';
import { appMetric, perLabel } from './metrics';

export interface BusinessDashboardProps {
  alarms: cloudwatch.IAlarm[];
  health: Record<AppName, ServiceHealth>;
}

const { AVERAGE, MAXIMUM, SUM } = cloudwatch.Stats;
const FIVE_MINUTES = Duration.minutes(5);

/** A third of the dashboard's width. */
const graph = (title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []) =>
  new cloudwatch.GraphWidget({ title, left, right, width: 8, height: 6 });

/**
 * `paychat` in CloudWatch: within a minute, is money moving, is the chat keeping up, is the bank
 * answering, is the ledger sound, and if not, which alarm says where.
 */
export class BusinessDashboard extends Construct {
  constructor(scope: Construct, id: string, props: BusinessDashboardProps) {
    super(scope, id);
    const wallet = (name: string, statistic: string, period?: Duration) =>
      appMetric('wallet', name, statistic, { period });
    const lastFullPass = new cloudwatch.MathExpression({
      // EPOCH is each datapoint's own time: the pass's age when it was read.
      expression: '(EPOCH(t) - t) / 3600',
      usingMetrics: {
        t: wallet('wallet_reconciliation_last_full_pass_timestamp_seconds', MAXIMUM, FIVE_MINUTES),
      },
      label: 'hours since the last full pass',
      period: FIVE_MINUTES,
    });
    const services = Object.keys(props.health) as AppName[];

    new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: 'paychat',
      defaultInterval: Duration.hours(3),
      widgets: [
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms, width: 24, height: 3 })],
        [
          graph('Transfers per minute, by result', [
            perLabel('wallet', 'wallet_transfers_total', 'result', SUM),
          ]),
          graph('Payments per minute, by result', [
            perLabel('wallet', 'wallet_payments_total', 'result', SUM),
          ]),
          graph('Money moved (yen per 5 min), by kind', [
            perLabel('wallet', 'wallet_money_moved_yen_total', 'kind', SUM, FIVE_MINUTES),
          ]),
        ],
        [
          graph(
            'Outbox: backlog (events, left) and oldest undelivered (s, right)',
            [wallet('wallet_outbox_backlog_events', MAXIMUM)],
            [wallet('wallet_outbox_oldest_undelivered_age_seconds', MAXIMUM)],
          ),
          graph(
            'Delivery lag, mean s: written → delivered by path (left), changed → in the chat (right)',
            [perLabel('wallet', 'wallet_outbox_delivery_lag_seconds', 'path', AVERAGE)],
            [appMetric('messages', 'messages_chat_delivery_lag_seconds', AVERAGE)],
          ),
          graph(
            'Chat events: refused by the chat (left), applied by outcome (right)',
            [perLabel('wallet', 'wallet_outbox_rejected_events_total', 'topic', SUM)],
            [perLabel('messages', 'messages_events_applied_total', 'result', SUM)],
          ),
        ],
        [
          graph('Bank operations pending, by rail', [
            perLabel('wallet', 'wallet_rail_operations_pending', 'rail', MAXIMUM),
          ]),
          graph('Bank operations past their deadline, by rail', [
            perLabel('wallet', 'wallet_rail_operations_overdue', 'rail', MAXIMUM),
          ]),
          graph('Oldest pending bank operation (s), by rail', [
            perLabel('wallet', 'wallet_rail_operations_oldest_pending_age_seconds', 'rail', MAXIMUM),
          ]),
        ],
        [
          graph(
            'Reconciliation: mismatches in the last pass (left), hours since the last full pass (right)',
            [wallet('wallet_reconciliation_mismatches', MAXIMUM, FIVE_MINUTES)],
            [lastFullPass],
          ),
          graph(
            '5xx answers, % per service',
            services.map((s) => props.health[s].errorRate.with({ label: s })),
          ),
          graph(
            'p99 latency, ms per service (chat long-polls aside)',
            services.map((s) => props.health[s].latencyP99.with({ label: s })),
          ),
        ],
      ],
    });
  }
}
