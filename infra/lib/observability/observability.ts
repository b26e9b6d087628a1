import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { AppService } from '../app-service';
import { AppName, APP_NAMES } from '../secrets';
import { Alarms, AlarmsProps } from './alarms';
import { BusinessDashboard } from './dashboard';
import { TaskStops } from './task-stops';

export interface ObservabilityProps {
  cluster: ecs.ICluster;
  apps: Record<AppName, AppService>;
  targetGroups: AlarmsProps['targetGroups'];
  /** Subscribed to the topic by email when given. */
  alarmEmail?: string;
}

/** Where production says it hurts: the alarm topic, the alarms, task stops, and the dashboard. */
export class Observability extends Construct {
  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const topic = new sns.Topic(this, 'AlarmTopic', {
      topicName: 'paychat-alarms',
      displayName: 'paychat alarms',
    });
    if (props.alarmEmail) topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    const alarms = new Alarms(this, 'Alarms', { topic, apps: props.apps, targetGroups: props.targetGroups });
    new TaskStops(this, 'TaskStops', { cluster: props.cluster, services: APP_NAMES, topic });
    new BusinessDashboard(this, 'Dashboard', { alarms: alarms.alarms, health: alarms.health });
  }
}
