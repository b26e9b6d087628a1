import { Duration, RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sm from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { composedSecret, generatedSecret } from './secrets';

export const WALLET_DB_NAME = 'paychat_wallet';
export const LEGACY_DB_NAME = 'paychat_legacy';

/** The DB users `scripts/migrate` creates, and the env variable it reads each password from. */
const DB_USERS = {
  migrator: { user: 'paychat_migrator', passwordEnv: 'MIGRATOR_DB_PASSWORD' },
  app: { user: 'paychat_app', passwordEnv: 'WALLET_DB_PASSWORD' },
  janitor: { user: 'paychat_janitor', passwordEnv: 'JANITOR_DB_PASSWORD' },
  legacy: { user: 'paychat_legacy', passwordEnv: 'LEGACY_DB_PASSWORD' },
} as const;

/** URL-unsafe characters kept out of the generated master password (it goes into MYSQL_URL as is). */
const NOT_IN_URLS = ' !"#$%&\'()*+,/:;<=>?@[\\]^`{|}';

/**
 * Aurora MySQL Serverless v2 (MySQL 8 compatible) in the isolated subnets. The master credentials are
 * generated into Secrets Manager and used only by the migration task, which creates the databases and
 * the least-privilege users from the generated passwords below. The runtime URLs are composed secrets.
 */
export class Database extends Construct {
  readonly cluster: rds.DatabaseCluster;
  /** `MYSQL_URL` of the migration task: the master account on the writer. */
  readonly adminUrl: sm.ISecret;
  readonly walletDbUrl: sm.ISecret;
  readonly legacyDbUrl: sm.ISecret;
  /** Env name → password secret, what the migration task passes to `scripts/migrate`. */
  readonly userPasswords: Record<string, sm.ISecret>;

  constructor(scope: Construct, id: string, props: { vpc: ec2.IVpc }) {
    super(scope, id);
    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine: rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_10_4 }),
      credentials: rds.Credentials.fromGeneratedSecret('paychat_admin', {
        secretName: 'paychat/db/admin',
        excludeCharacters: NOT_IN_URLS,
      }),
      writer: rds.ClusterInstance.serverlessV2('writer'),
      // A reader in the other AZ: the failover target (Aurora promotes it in about 30 s).
      readers: [rds.ClusterInstance.serverlessV2('reader', { scaleWithWriter: true })],
      port: 3306, // a literal, so security group rules in other stacks need no reference for it
      serverlessV2MinCapacity: 0.5,
      serverlessV2MaxCapacity: 16,
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      storageEncrypted: true,
      backup: { retention: Duration.days(14), preferredWindow: '17:00-18:00' }, // 02:00 JST
      preferredMaintenanceWindow: 'sun:18:00-sun:19:00',
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      cloudwatchLogsExports: ['error', 'slowquery'],
    });

    const passwords = Object.fromEntries(
      Object.entries(DB_USERS).map(([key, u]) => [
        key,
        generatedSecret(this, `${u.user}-password`, `paychat/db/${u.user}-password`),
      ]),
    ) as Record<keyof typeof DB_USERS, sm.Secret>;
    this.userPasswords = Object.fromEntries(
      Object.entries(DB_USERS).map(([key, u]) => [u.passwordEnv, passwords[key as keyof typeof DB_USERS]]),
    );

    const host = `@${this.cluster.clusterEndpoint.hostname}:${this.cluster.clusterEndpoint.port}`;
    const master = this.cluster.secret!;
    this.adminUrl = composedSecret(this, 'AdminUrl', 'paychat/db/admin-url', [
      'mysql://',
      master.secretValueFromJson('username'),
      ':',
      master.secretValueFromJson('password'),
      host,
    ]);
    const userUrl = (id: string, name: string, user: keyof typeof DB_USERS, db: string) =>
      composedSecret(this, id, name, [
        `mysql://${DB_USERS[user].user}:`,
        passwords[user].secretValue as SecretValue,
        `${host}/${db}`,
      ]);
    this.walletDbUrl = userUrl('WalletDbUrl', 'paychat/wallet/db-url', 'app', WALLET_DB_NAME);
    this.legacyDbUrl = userUrl('LegacyDbUrl', 'paychat/legacy/db-url', 'legacy', LEGACY_DB_NAME);
  }
}
