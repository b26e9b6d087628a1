import { Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Database, LEGACY_DB_NAME, WALLET_DB_NAME } from './database';
import { repositoryName } from './images-stack';

export interface MigrationTaskProps {
  cluster: ecs.ICluster;
  database: Database;
  imageTag: string;
}

/**
 * `node dist/scripts/migrate.js` as a one-off Fargate task (Twelve-Factor admin process) — a task
 * definition with no service: the deploy pipeline runs it with `aws ecs run-task` before rolling the
 * services, and the services never migrate at boot. It uses the wallet image (every image holds the whole
 * build) and is the only task given the master account, from which it creates the databases and the
 * least-privilege users with the passwords generated in Secrets Manager. Idempotent, under GET_LOCK.
 */
export class MigrationTask extends Construct {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly securityGroup: ec2.SecurityGroup;
  /** The `aws ecs run-task` command line that starts it (a stack output). */
  readonly runCommand: string;

  constructor(scope: Construct, id: string, { cluster, database, imageTag }: MigrationTaskProps) {
    super(scope, id);
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      family: 'paychat-migrate',
      cpu: 256,
      memoryLimitMiB: 512,
    });
    const repository = ecr.Repository.fromRepositoryName(this, 'Repository', repositoryName('wallet'));
    this.taskDefinition.addContainer('migrate', {
      containerName: 'migrate',
      image: ecs.ContainerImage.fromEcrRepository(repository, imageTag),
      command: ['node', 'dist/scripts/migrate.js'],
      environment: { WALLET_DB_NAME, LEGACY_DB_NAME }, // no DYNAMODB_ENDPOINT: the table is this stack's
      secrets: {
        MYSQL_URL: ecs.Secret.fromSecretsManager(database.adminUrl),
        ...Object.fromEntries(
          Object.entries(database.userPasswords).map(([env, s]) => [env, ecs.Secret.fromSecretsManager(s)]),
        ),
      },
      logging: ecs.LogDrivers.awsLogs({
        streamPrefix: 'migrate',
        logGroup: new logs.LogGroup(this, 'Logs', {
          logGroupName: '/paychat/migrate',
          retention: logs.RetentionDays.ONE_YEAR, // who changed the schema when
        }),
      }),
      readonlyRootFilesystem: true,
    });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: cluster.vpc,
      description: 'paychat migration task',
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs');
    database.cluster.connections.allowDefaultPortFrom(this.securityGroup);

    const subnets = cluster.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds;
    this.runCommand = Fn.join('', [
      `aws ecs run-task --cluster ${cluster.clusterName} --launch-type FARGATE --task-definition `,
      this.taskDefinition.family,
      ' --network-configuration "awsvpcConfiguration={subnets=[',
      Fn.join(',', subnets),
      `],securityGroups=[${this.securityGroup.securityGroupId}],assignPublicIp=DISABLED}"`,
    ]);
  }
}
