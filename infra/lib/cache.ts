import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { Construct } from 'constructs';

const PORT = 6379;

/**
 * A small Redis (ElastiCache, primary + replica in the other AZ, automatic failover) for the gateway's
 * shared rate-limit counters and the messages service's live-delivery signals. Nothing in it is the
 * record of anything, so no backups. TLS in transit (`rediss://`), encrypted at rest; reachable only from
 * the security groups the stack allows (gateway, messages).
 */
export class Cache extends Construct {
  readonly connections: ec2.Connections;
  /** `REDIS_URL` for the apps (no password: the security group is the gate, TLS protects the wire). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: { vpc: ec2.IVpc }) {
    super(scope, id);
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'paychat Redis: only from the tasks allowed by the stack',
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({
      securityGroups: [securityGroup],
      defaultPort: ec2.Port.tcp(PORT),
    });
    const subnets = new elasticache.CfnSubnetGroup(this, 'Subnets', {
      description: 'paychat Redis (isolated subnets)',
      subnetIds: props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
    });
    const redis = new elasticache.CfnReplicationGroup(this, 'Redis', {
      replicationGroupDescription: 'paychat rate limits and live-delivery signals',
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: 'cache.t4g.small',
      numCacheClusters: 2,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      port: PORT,
      cacheSubnetGroupName: subnets.ref,
      securityGroupIds: [securityGroup.securityGroupId],
      preferredMaintenanceWindow: 'sun:19:00-sun:20:00',
    });
    this.url = `rediss://${redis.attrPrimaryEndPointAddress}:${redis.attrPrimaryEndPointPort}`;
  }
}
