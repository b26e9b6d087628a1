import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Aws } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';

/** ADOT collector v0.50.0: built on collector-contrib 0.158.0, the version of docker/compose.yml's collector. */
export const COLLECTOR_IMAGE = 'public.ecr.aws/aws-observability/aws-otel-collector:v0.50.0';

/** The collector's configuration: adot-collector.yaml beside this file (the build copies it into dist). */
export const COLLECTOR_CONFIG = readFileSync(join(__dirname, 'adot-collector.yaml'), 'utf8');

/**
 * What the app is told: spans to the collector beside it, metrics on the port the collector scrapes.
 * One new trace in ten is recorded (the services follow the caller's decision, so a recorded trace is
 * whole): every route still shows its path within minutes, at a tenth of the spans' CPU and X-Ray cost.
 */
export const APP_TELEMETRY_ENV = {
  OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
  OTEL_TRACES_SAMPLER_ARG: '0.1',
  METRICS_PORT: '9464',
};

/** CloudWatch Logs actions the collector's EMF exporter needs on its log group. */
const EMF_WRITE = ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'];

export interface CollectorSidecarProps {
  app: ecs.ContainerDefinition;
  /** Where EMF lines go (the collector's config names the same group). */
  metricsLogGroup: logs.ILogGroup;
  /** The collector's own output, beside the app's. */
  logging: ecs.LogDriver;
}

/**
 * The telemetry collector in the app's task: non-essential (when it fails, the app keeps serving and
 * only its telemetry is lost), on the task's loopback, writing traces to X-Ray and metrics to
 * CloudWatch with the task role. The app depends on it having started, so on a stop ECS stops the
 * app first and the collector still takes the spans the app flushes while it drains.
 */
export function addCollectorSidecar(task: ecs.TaskDefinition, props: CollectorSidecarProps): void {
  const collector = task.addContainer('otel-collector', {
    containerName: 'otel-collector',
    image: ecs.ContainerImage.fromRegistry(COLLECTOR_IMAGE),
    essential: false,
    cpu: 64,
    memoryReservationMiB: 128,
    memoryLimitMiB: 256, // above memory_limiter's 200 MiB in the config
    environment: { AOT_CONFIG_CONTENT: COLLECTOR_CONFIG, AWS_REGION: Aws.REGION },
    logging: props.logging,
    // Exec form: the image has no shell.
    healthCheck: { command: ['CMD', '/healthcheck'] },
  });
  props.app.addContainerDependencies({
    container: collector,
    condition: ecs.ContainerDependencyCondition.START,
  });

  task.addToTaskRolePolicy(
    new iam.PolicyStatement({
      actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
      resources: ['*'], // X-Ray has no resource-level permissions for these
    }),
  );
  props.metricsLogGroup.grant(task.taskRole, ...EMF_WRITE);
}
