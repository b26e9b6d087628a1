import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { AppName } from '../secrets';

export interface TaskStopsProps {
  cluster: ecs.ICluster;
  services: AppName[];
  topic: sns.ITopic;
}

/**
 * A service task that stopped without being asked to (its app exited, it failed to start, or it
 * failed its container or load-balancer health checks) is a message on the topic, each time: ECS
 * replaces it, so no metric stays low for long enough to alarm on. Deployments and scale-in stop
 * tasks too, as the scheduler's decision, and are left out.
 */
export class TaskStops extends Construct {
  constructor(scope: Construct, id: string, props: TaskStopsProps) {
    super(scope, id);
    const detail = (path: string) => events.EventField.fromPath(`$.detail.${path}`);
    new events.Rule(this, 'Rule', {
      ruleName: 'paychat-task-stopped',
      description: 'A paychat service task stopped unasked (exit, failed start, failed health checks)',
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: {
          clusterArn: [props.cluster.clusterArn],
          group: props.services.map((service) => `service:${service}`),
          lastStatus: ['STOPPED'],
          $or: [
            { stopCode: ['EssentialContainerExited', 'TaskFailedToStart'] },
            { stoppedReason: [{ prefix: 'Task failed' }] },
          ],
        },
      },
      targets: [
        new targets.SnsTopic(props.topic, {
          message: events.RuleTargetInput.fromText(
            `paychat task stopped: ${detail('group')} (${detail('stopCode')}): ${detail('stoppedReason')}. ` +
              `Task ${detail('taskArn')}. What to do: docs/observability.md, alarm paychat-task-stopped.`,
          ),
        }),
      ],
    });
  }
}
