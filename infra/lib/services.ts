import { Aws } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { APP_PORT, AppService, AppSpec } from './app-service';
import { Auth } from './auth';
import { Cache } from './cache';
import { Database } from './database';
import { repositoryName } from './images-stack';
import { MessagesTable } from './messages-table';
import type { GatewayRoute } from './config';
import { AppName, AppSecrets } from './secrets';

export const NAMESPACE = 'paychat.local';
export const serviceUrl = (name: AppName) => `http://${name}.${NAMESPACE}:${APP_PORT}`;

/**
 * Production rate limits per minute (the local defaults only guard against runaway clients):
 * sign-in attempts per IP, money-moving POSTs per user, friend lookups per user.
 */
export const PRODUCTION_RATE_LIMITS = {
  default: { perIp: 6_000, perUser: 1_200 },
  // Per account (email) too: rotating addresses buys no more guesses at one password.
  auth: { perIp: 300, perAccount: 10 },
  money: { perIp: 1_200, perUser: 60 },
  lookup: { perIp: 1_200, perUser: 120 },
};

export interface ServicesProps {
  cluster: ecs.ICluster;
  imageTag: string;
  database: Database;
  messagesTable: MessagesTable;
  cache: Cache;
  auth: Auth;
  secrets: AppSecrets;
  /** GATEWAY_ROUTES: entries over the route table bundled with the image (carved routes). */
  gatewayRoutes: GatewayRoute[];
  /** Where every task's collector writes metrics (EMF). */
  metricsLogGroup: logs.ILogGroup;
}

/**
 * The four services in the cluster's `paychat.local` Cloud Map namespace, with the network paths
 * between them (each allowed path opens the callee's ingress and the caller's egress on that port only)
 * and their task roles (none has anything beyond what is granted here).
 */
export class Services extends Construct {
  readonly apps: Record<AppName, AppService>;

  constructor(scope: Construct, id: string, props: ServicesProps) {
    super(scope, id);
    const { database, messagesTable, cache, auth, secrets } = props;
    const secret = ecs.Secret.fromSecretsManager;
    const cognito = {
      COGNITO_REGION: Aws.REGION,
      COGNITO_USER_POOL_ID: auth.userPool.userPoolId,
      COGNITO_CLIENT_ID: auth.client.userPoolClientId,
    };
    const app = (name: AppName, spec: AppSpec) =>
      new AppService(this, name, {
        cluster: props.cluster,
        name,
        repository: ecr.Repository.fromRepositoryName(this, `${name}-repository`, repositoryName(name)),
        imageTag: props.imageTag,
        metricsLogGroup: props.metricsLogGroup,
        ...spec,
        secrets: { INTERNAL_SECRETS: secret(secrets.internalSecrets[name]), ...spec.secrets },
      });

    const gateway = app('gateway', {
      cpu: 512,
      memoryLimitMiB: 1024,
      minTasks: 2,
      maxTasks: 10,
      environment: {
        ...cognito,
        // Cloud Map: every healthy task of a service, re-resolved on the record's TTL.
        DISCOVERY: 'dns',
        DISCOVERY_NAMESPACE: NAMESPACE,
        DISCOVERY_PORT: String(APP_PORT),
        REDIS_URL: cache.url,
        // The ALB is the one proxy in front: the address it appends to X-Forwarded-For is the client's.
        TRUST_PROXY_HOPS: '1',
        RATE_LIMITS: JSON.stringify(PRODUCTION_RATE_LIMITS),
        ...(props.gatewayRoutes.length ? { GATEWAY_ROUTES: JSON.stringify(props.gatewayRoutes) } : {}),
      },
      secrets: {},
    });
    const wallet = app('wallet', {
      cpu: 1024,
      memoryLimitMiB: 2048,
      minTasks: 2,
      maxTasks: 6,
      environment: { ...cognito, MESSAGES_URL: serviceUrl('messages') },
      secrets: {
        WALLET_DB_URL: secret(database.walletDbUrl),
        BANK_ACCOUNT_KEY: secret(secrets.bankAccountKey),
      },
    });
    const messages = app('messages', {
      cpu: 512,
      memoryLimitMiB: 1024,
      minTasks: 2,
      maxTasks: 10,
      environment: {
        ...cognito,
        AWS_REGION: Aws.REGION,
        MESSAGES_TABLE: messagesTable.table.tableName,
        WALLET_URL: serviceUrl('wallet'),
        REDIS_URL: cache.url,
      },
      secrets: {},
    });
    const legacy = app('legacy', {
      cpu: 256,
      memoryLimitMiB: 512,
      minTasks: 2,
      maxTasks: 4,
      environment: {
        // The ALB sends /v1 here directly: its X-Forwarded-For entry is the client (the login throttle's key).
        TRUST_PROXY_HOPS: '1',
        // And /admin/v1 (the old admin pages): legacy verifies the admins' tokens itself, and hears
        // the gateway's logouts through Redis.
        ...cognito,
        REDIS_URL: cache.url,
      },
      secrets: { LEGACY_DB_URL: secret(database.legacyDbUrl) },
    });
    this.apps = { gateway, wallet, messages, legacy };

    const http = ec2.Port.tcp(APP_PORT);
    for (const callee of [wallet, messages, legacy]) callee.connections.allowFrom(gateway, http);
    wallet.connections.allowFrom(messages, http); // messages resolves callers through the wallet
    messages.connections.allowFrom(wallet, http); // the wallet's outbox relay posts chat events
    // allowTo: the store's ingress rule is created here, not in the platform stack (which must not
    // depend on this one).
    for (const client of [wallet, legacy]) client.connections.allowToDefaultPort(database.cluster);
    for (const client of [gateway, messages, legacy]) client.connections.allowToDefaultPort(cache);

    messagesTable.grantMessagesService(messages.service.taskDefinition.taskRole);
    // The admin "disable user" action (the wallet disables the user and signs them out everywhere);
    // every other Cognito call the apps make is public.
    auth.userPool.grant(
      wallet.service.taskDefinition.taskRole,
      'cognito-idp:AdminDisableUser',
      'cognito-idp:AdminUserGlobalSignOut',
    );
  }
}
