import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { Auth } from './auth';
import { Cache } from './cache';
import { PaychatConfig } from './config';
import { Database } from './database';
import { imageTagParameter } from './images-stack';
import { MessagesTable } from './messages-table';
import { MigrationTask } from './migration-task';
import { Network } from './network';
import { AppSecrets } from './secrets';
import { NAMESPACE, serviceUrl } from './services';

export interface PaychatPlatformStackProps extends StackProps {
  config: PaychatConfig;
}

/**
 * What the services stand on and what outlives their releases: network, data stores, Cognito, secrets,
 * the ECS cluster with its Cloud Map namespace, and the migration task. A separate stack so that a
 * release can migrate (with this stack's ImageTag) before the services roll (PaychatServicesStack).
 */
export class PaychatPlatformStack extends Stack {
  readonly vpc: ec2.IVpc;
  readonly cluster: ecs.Cluster;
  readonly database: Database;
  readonly messagesTable: MessagesTable;
  readonly cache: Cache;
  readonly auth: Auth;
  readonly secrets: AppSecrets;

  constructor(scope: Construct, id: string, props: PaychatPlatformStackProps) {
    super(scope, id, props);
    const imageTag = imageTagParameter(this, 'the migration task runs');

    this.vpc = new Network(this, 'Network').vpc;
    this.database = new Database(this, 'Database', { vpc: this.vpc });
    this.messagesTable = new MessagesTable(this, 'Messages');
    this.cache = new Cache(this, 'Cache', { vpc: this.vpc });
    this.secrets = new AppSecrets(this, 'AppSecrets');
    this.auth = new Auth(this, 'Auth', {
      config: props.config,
      vpc: this.vpc,
      legacyUrl: serviceUrl('legacy'),
      userMigrationSecret: this.secrets.userMigrationSigning,
    });
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: this.vpc,
      clusterName: 'paychat',
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
      defaultCloudMapNamespace: { name: NAMESPACE, type: servicediscovery.NamespaceType.DNS_PRIVATE },
    });
    const migrate = new MigrationTask(this, 'Migrate', {
      cluster: this.cluster,
      database: this.database,
      imageTag,
    });

    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.client.userPoolClientId });
    new CfnOutput(this, 'ClusterName', { value: this.cluster.clusterName });
    new CfnOutput(this, 'MigrateCommand', {
      description: 'Runs the migrations; wait for the task to stop and check its exit code',
      value: migrate.runCommand,
    });
  }
}
