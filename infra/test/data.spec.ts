import { Match } from 'aws-cdk-lib/assertions';
import { messagesTableDefinition } from '../../apps/messages/src/db/table-schema';
import { ofType, synth, Synthesized } from './synth';

describe('network and data stores', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth().platform;
  });

  it('spans two AZs with public, private and isolated subnets, and logs all VPC traffic', () => {
    const zones = ofType(s.resources, 'AWS::EC2::Subnet').map(([, p]) => p.AvailabilityZone);
    expect(zones).toHaveLength(6);
    expect(new Set(zones)).toEqual(new Set(['ap-northeast-1a', 'ap-northeast-1c']));
    s.template.resourceCountIs('AWS::EC2::NatGateway', 2);
    s.template.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'ALL' });
  });

  it('creates the messages table: PK/SK, keys-only GSI1, on demand, PITR, encrypted, protected', () => {
    s.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        TableName: 'paychat-messages',
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'GSI1',
            KeySchema: [
              { AttributeName: 'GSI1PK', KeyType: 'HASH' },
              { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      },
    });
  });

  it('declares the messages table exactly as the local stack creates it (one definition in apps/messages)', () => {
    const { TableName, BillingMode, AttributeDefinitions, KeySchema, GlobalSecondaryIndexes } =
      messagesTableDefinition('paychat-messages');
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName,
      BillingMode,
      AttributeDefinitions,
      KeySchema,
      GlobalSecondaryIndexes,
    });
  });

  it('runs Aurora MySQL Serverless v2, encrypted, backed up, protected, with a generated master secret', () => {
    s.template.hasResource('AWS::RDS::DBCluster', {
      DeletionPolicy: 'Snapshot',
      Properties: Match.objectLike({
        Engine: 'aurora-mysql',
        EngineVersion: Match.stringLikeRegexp('^8\\.0\\.mysql_aurora\\.3\\.'),
        ServerlessV2ScalingConfiguration: Match.objectLike({ MinCapacity: 0.5 }),
        StorageEncrypted: true,
        DeletionProtection: true,
        BackupRetentionPeriod: 14,
        MasterUserPassword: Match.objectLike({
          'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('resolve:secretsmanager')])],
        }),
      }),
    });
    const instances = ofType(s.resources, 'AWS::RDS::DBInstance');
    expect(instances.map(([, p]) => p.DBInstanceClass)).toEqual(['db.serverless', 'db.serverless']);
    s.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'paychat/db/admin',
      GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"username":"paychat_admin"}' }),
    });
  });

  it('generates every DB user password and assembles the URLs without any value in the template', () => {
    for (const user of ['paychat_migrator', 'paychat_app', 'paychat_janitor', 'paychat_legacy']) {
      s.template.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: `paychat/db/${user}-password`,
        GenerateSecretString: Match.objectLike({ ExcludePunctuation: true }),
      });
    }
    const url = (name: string) =>
      JSON.stringify(
        ofType(s.resources, 'AWS::SecretsManager::Secret').find(([, p]) => p.Name === name)![1].SecretString,
      );
    expect(url('paychat/wallet/db-url')).toMatch(/^"?.*mysql:\/\/paychat_app:\{\{resolve:secretsmanager:/);
    expect(url('paychat/wallet/db-url')).toContain('/paychat_wallet');
    expect(url('paychat/legacy/db-url')).toMatch(/mysql:\/\/paychat_legacy:\{\{resolve:secretsmanager:/);
    expect(url('paychat/db/admin-url')).toContain(':SecretString:password::}}@');
  });

  it('generates the bank account key in the wallet’s format: 43 base64 characters and "="', () => {
    s.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'paychat/wallet/bank-account-key-material',
      GenerateSecretString: Match.objectLike({ PasswordLength: 43, ExcludePunctuation: true }),
    });
    const [, key] = ofType(s.resources, 'AWS::SecretsManager::Secret').find(
      ([, p]) => p.Name === 'paychat/wallet/bank-account-key',
    )!;
    const parts = (key.SecretString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
    expect(parts.at(-1)).toMatch(/:SecretString:::\}\}=$/);
  });

  it('keeps Redis in the isolated subnets, encrypted in transit and at rest, with a replica', () => {
    s.template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'redis',
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      NumCacheClusters: 2,
      MultiAZEnabled: true,
    });
  });
});
