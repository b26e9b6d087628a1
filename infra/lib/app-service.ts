import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { DNS_TTL, SHUTDOWN_GRACE, STOP_TIMEOUT } from './drain';
import { addCollectorSidecar, APP_TELEMETRY_ENV } from './observability/collector-sidecar';

export const APP_PORT = 3000;

/** The same probe as the Dockerfiles' HEALTHCHECK: node's fetch, as the slim image has no curl. */
export const LIVENESS_PROBE = [
  'CMD',
  'node',
  '-e',
  `fetch('http://127.0.0.1:${APP_PORT}/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`,
];

/** What differs between the apps. */
export interface AppSpec {
  cpu: number;
  memoryLimitMiB: number;
  minTasks: number;
  maxTasks: number;
  environment: Record<string, string>;
  secrets: Record<string, ecs.Secret>;
}

export interface AppServiceProps extends AppSpec {
  cluster: ecs.ICluster;
  name: string;
  repository: ecr.IRepository;
  imageTag: string;
  /** Where the task's collector writes metrics (EMF). */
  metricsLogGroup: logs.ILogGroup;
}

/**
 * One paychat app on Fargate: private subnets, registered in Cloud Map as `<name>.paychat.local`, a
 * liveness health check (readiness is the ALB's and the callers' business), a stop timeout that fits the
 * drain (drain.ts), rollback on a failed deployment, CPU autoscaling, logs in CloudWatch, and a
 * telemetry collector beside the app (traces to X-Ray, metrics to CloudWatch).
 */
export class AppService extends Construct {
  readonly service: ecs.FargateService;
  readonly scaling: ecs.ScalableTaskCount;
  /** The app's log group, `/paychat/<name>` (metric filters read it). */
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AppServiceProps) {
    super(scope, id);
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      family: `paychat-${props.name}`,
      cpu: props.cpu,
      memoryLimitMiB: props.memoryLimitMiB,
      runtimePlatform: {
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
      },
    });
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/paychat/${props.name}`,
      retention: logs.RetentionDays.THREE_MONTHS,
    });
    const logging = ecs.LogDrivers.awsLogs({ streamPrefix: props.name, logGroup: this.logGroup });
    const app = taskDefinition.addContainer('app', {
      containerName: props.name,
      image: ecs.ContainerImage.fromEcrRepository(props.repository, props.imageTag),
      portMappings: [{ containerPort: APP_PORT, name: 'http' }],
      environment: {
        NODE_ENV: 'production',
        HOST: '0.0.0.0',
        PORT: String(APP_PORT),
        SHUTDOWN_GRACE_MS: String(SHUTDOWN_GRACE.toMilliseconds()),
        ...APP_TELEMETRY_ENV,
        ...props.environment,
      },
      secrets: props.secrets,
      logging,
      healthCheck: { command: LIVENESS_PROBE, startPeriod: Duration.seconds(15) }, // apps listen in < 2 s
      stopTimeout: STOP_TIMEOUT,
      readonlyRootFilesystem: true, // the apps write nothing but stdout
    });
    addCollectorSidecar(taskDefinition, { app, metricsLogGroup: props.metricsLogGroup, logging });

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.cluster.vpc,
      description: `paychat ${props.name} tasks`,
      allowAllOutbound: false, // other egress is added per allowed peer (services.ts)
    });
    // AWS APIs, ECR, Secrets Manager and Cognito's JWKS, through the NAT gateways.
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs');

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: props.cluster,
      serviceName: props.name,
      taskDefinition,
      desiredCount: props.minTasks,
      securityGroups: [securityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      cloudMapOptions: { name: props.name, dnsRecordType: servicediscovery.DnsRecordType.A, dnsTtl: DNS_TTL },
    });
    this.scaling = this.service.autoScaleTaskCount({
      minCapacity: props.minTasks,
      maxCapacity: props.maxTasks,
    });
    this.scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });
  }

  get connections(): ec2.Connections {
    return this.service.connections;
  }

  /** Behind the ALB: scale on requests per task too (a proxy is often I/O-bound before it is CPU-bound). */
  scaleOnRequests(targetGroup: elbv2.ApplicationTargetGroup, requestsPerTarget: number): void {
    this.scaling.scaleOnRequestCount('Requests', { targetGroup, requestsPerTarget });
  }
}
