import { CfnOutput, CfnParameter, Stack, StackProps, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { APP_PORT } from './app-service';
import { Edge } from './edge';
import { imageTagParameter } from './images-stack';
import { carvedAdminPrefixes, carvedV1Prefixes, PaychatConfig } from './config';
import { METRICS_LOG_GROUP } from './observability/metrics';
import { Observability } from './observability/observability';
import { PaychatPlatformStack } from './platform-stack';
import { Services } from './services';

export interface PaychatServicesStackProps extends StackProps {
  platform: PaychatPlatformStack;
  config: PaychatConfig;
}

/**
 * The four Fargate services and the edge in front of them (ALB, WAF): what a release rolls. With
 * them, what says how they are doing: their metrics' log group, alarms and the dashboard.
 */
export class PaychatServicesStack extends Stack {
  constructor(scope: Construct, id: string, props: PaychatServicesStackProps) {
    super(scope, id, props);
    const { platform } = props;
    // Per-deploy values are parameters: a new image or certificate is a deploy, not a new template.
    const certificateArn = new CfnParameter(this, 'CertificateArn', {
      description: 'ACM certificate (same region) for the HTTPS listener',
      allowedPattern: '^arn:aws:acm:[a-z0-9-]+:\\d{12}:certificate/[A-Za-z0-9-]+$',
    });
    const adminSourceCidrs = new CfnParameter(this, 'AdminSourceCidrs', {
      type: 'CommaDelimitedList',
      description:
        'Source CIDRs (at most 4) allowed to reach the admin paths, old and new (e.g. the office VPN egress)',
    });

    // The collectors' EMF lines: the raw material of the Paychat metrics, worth a month.
    const metricsLogGroup = new logs.LogGroup(this, 'MetricsLogs', {
      logGroupName: METRICS_LOG_GROUP,
      retention: logs.RetentionDays.ONE_MONTH,
    });
    const services = new Services(this, 'Services', {
      cluster: platform.cluster,
      imageTag: imageTagParameter(this, 'the services run'),
      database: platform.database,
      messagesTable: platform.messagesTable,
      cache: platform.cache,
      auth: platform.auth,
      secrets: platform.secrets,
      gatewayRoutes: props.config.gatewayRoutes,
      metricsLogGroup,
    });
    const { userMigration } = platform.auth;
    if (userMigration) services.apps.legacy.connections.allowFrom(userMigration, ec2.Port.tcp(APP_PORT));
    const edge = new Edge(this, 'Edge', {
      vpc: platform.vpc,
      gateway: services.apps.gateway,
      legacy: services.apps.legacy,
      certificateArn: certificateArn.valueAsString,
      adminSourceCidrs: Token.asList(adminSourceCidrs.valueAsList),
      carvedV1Prefixes: carvedV1Prefixes(props.config.gatewayRoutes),
      carvedAdminPrefixes: carvedAdminPrefixes(props.config.gatewayRoutes),
    });
    new Observability(this, 'Observability', {
      cluster: platform.cluster,
      apps: services.apps,
      targetGroups: edge.targetGroups,
      alarmEmail: props.config.alarmEmail,
    });

    new CfnOutput(this, 'LoadBalancerDns', { value: edge.loadBalancer.loadBalancerDnsName });
  }
}
