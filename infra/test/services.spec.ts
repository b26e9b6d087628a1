import { Match } from 'aws-cdk-lib/assertions';
import { DEREGISTRATION_DELAY, DNS_TTL, LONGEST_REQUEST, SHUTDOWN_GRACE, STOP_TIMEOUT } from '../lib/drain';
import { GatewayEnv } from '../../apps/gateway/src/gateway.env';
import { BaseEnv } from '../../libs/config/src';
import { APP_NAMES } from '../lib/secrets';
import { APP_ENVS } from './app-envs';
import { logicalId, ofType, synth, Synthesized, SynthesizedApp } from './synth';

type Container = {
  Name: string;
  Command?: string[];
  Environment?: { Name: string; Value: unknown }[];
  Secrets?: { Name: string }[];
  HealthCheck?: { Command: string[] };
  StopTimeout?: number;
};

describe('services: ECS, Cloud Map, autoscaling, migration task, images', () => {
  let app: SynthesizedApp;
  let s: Synthesized; // the services stack
  let containers: Map<string, Container>;
  beforeAll(() => {
    app = synth();
    s = app.services;
    containers = new Map(
      ofType(app.all, 'AWS::ECS::TaskDefinition').map(([, p]) => {
        const [c] = p.ContainerDefinitions as Container[];
        return [c.Name, c];
      }),
    );
  });
  const env = (app: string) => new Map(containers.get(app)!.Environment!.map((e) => [e.Name, e.Value]));

  it('registers the four services in the paychat.local private DNS namespace', () => {
    app.platform.template.resourceCountIs('AWS::ServiceDiscovery::PrivateDnsNamespace', 1);
    app.platform.template.hasResourceProperties('AWS::ServiceDiscovery::PrivateDnsNamespace', {
      Name: 'paychat.local',
    });
    const names = ofType(s.resources, 'AWS::ServiceDiscovery::Service').map(([, p]) => p.Name);
    expect(names.sort()).toEqual([...APP_NAMES].sort());
    for (const app of APP_NAMES) {
      const discovery = logicalId(s.resources, 'AWS::ServiceDiscovery::Service', `Services${app}Service`);
      s.template.hasResourceProperties('AWS::ECS::Service', {
        ServiceName: app,
        LaunchType: 'FARGATE',
        ServiceRegistries: [{ RegistryArn: { 'Fn::GetAtt': [discovery, 'Arn'] } }],
        DeploymentConfiguration: Match.objectLike({
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
          MinimumHealthyPercent: 100,
        }),
        NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
      });
    }
  });

  it('wires the apps to each other by their Cloud Map names', () => {
    // The gateway resolves `<service>.paychat.local` itself (all tasks, TTL-refreshed, failing ones skipped).
    expect(env('gateway').get('DISCOVERY')).toBe('dns');
    expect(env('gateway').get('DISCOVERY_NAMESPACE')).toBe('paychat.local');
    expect(env('gateway').get('DISCOVERY_PORT')).toBe('3000');
    expect(env('wallet').get('MESSAGES_URL')).toBe('http://messages.paychat.local:3000');
    expect(env('messages').get('WALLET_URL')).toBe('http://wallet.paychat.local:3000');
    expect(env('messages').get('MESSAGES_TABLE')).toEqual({
      Ref: logicalId(app.all, 'AWS::DynamoDB::Table', 'MessagesTable'),
    });
  });

  it('health-checks liveness and drains within the stop timeout', () => {
    for (const app of APP_NAMES) {
      const c = containers.get(app)!;
      expect(c.HealthCheck!.Command.join(' ')).toContain('http://127.0.0.1:3000/health/live');
      expect(c.StopTimeout).toBe(STOP_TIMEOUT.toSeconds());
      expect(env(app).get('NODE_ENV')).toBe('production');
      expect(env(app).get('SHUTDOWN_GRACE_MS')).toBe(String(SHUTDOWN_GRACE.toMilliseconds()));
    }
    expect(SHUTDOWN_GRACE.toSeconds()).toBeGreaterThanOrEqual(DEREGISTRATION_DELAY.toSeconds());
    expect(SHUTDOWN_GRACE.toSeconds()).toBeGreaterThanOrEqual(DNS_TTL.toSeconds());
    expect(STOP_TIMEOUT.toSeconds()).toBeGreaterThan(
      SHUTDOWN_GRACE.toSeconds() + LONGEST_REQUEST.toSeconds(),
    );
    expect(STOP_TIMEOUT.toSeconds()).toBeLessThanOrEqual(120); // Fargate's maximum
  });

  it('drains the same way locally: the gateway notices a stopping instance within either grace period', () => {
    const base = new BaseEnv();
    const local = base.SHUTDOWN_GRACE_MS;
    const gateway = new GatewayEnv();
    const noticed = gateway.UPSTREAM_PROBE_INTERVAL_MS + gateway.UPSTREAM_PROBE_TIMEOUT_MS;
    expect(local).toBeGreaterThanOrEqual(noticed);
    expect(SHUTDOWN_GRACE.toMilliseconds()).toBeGreaterThanOrEqual(local);
    expect(LONGEST_REQUEST.toMilliseconds()).toBeGreaterThanOrEqual(
      base.HTTP_REQUEST_TIMEOUT_MS + gateway.UPSTREAM_TIMEOUT_MS,
    );
  });

  it('injects secrets from Secrets Manager, never as plain environment', () => {
    const secretNames = (app: string) =>
      containers
        .get(app)!
        .Secrets!.map((x) => x.Name)
        .sort();
    expect(secretNames('wallet')).toEqual(['BANK_ACCOUNT_KEY', 'INTERNAL_SECRETS', 'WALLET_DB_URL']);
    expect(secretNames('legacy')).toEqual(['INTERNAL_SECRETS', 'LEGACY_DB_URL']);
    for (const app of APP_NAMES) expect([...env(app).keys()]).not.toContain('INTERNAL_SECRETS');
  });

  it('gives each service only the signing pairs it is one end of, one distinct secret per pair', () => {
    /** A service's INTERNAL_SECRETS, as composed: `caller>target` → the generated secret it resolves. */
    const pairs = (service: string) => {
      const [, p] = ofType(app.all, 'AWS::SecretsManager::Secret').find(
        ([, x]) => x.Name === `paychat/${service}/internal-secrets`,
      )!;
      const parts = (p.SecretString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
      return new Map(
        parts.flatMap((part, i) => {
          const label =
            typeof part === 'string' && /([a-z-]+>[a-z-]+):\{\{resolve:secretsmanager:$/.exec(part);
          return label ? [[label[1], (parts[i + 1] as { Ref: string }).Ref] as const] : [];
        }),
      );
    };
    const of = Object.fromEntries(APP_NAMES.map((service) => [service, pairs(service)]));
    expect([...of.gateway.keys()].sort()).toEqual(['gateway>legacy', 'gateway>messages', 'gateway>wallet']);
    expect([...of.wallet.keys()].sort()).toEqual([
      'atm-network>wallet',
      'gateway>wallet',
      'messages>wallet',
      'wallet>messages',
    ]);
    expect([...of.messages.keys()].sort()).toEqual([
      'gateway>messages',
      'messages>wallet',
      'wallet>messages',
    ]);
    expect([...of.legacy.keys()].sort()).toEqual(['gateway>legacy', 'user-migration>legacy']);
    // Both ends of a pair resolve the same secret, and no two pairs share one.
    const secretOf = new Map<string, string>();
    for (const [pair, ref] of APP_NAMES.flatMap((service) => [...of[service]])) {
      expect(secretOf.get(pair) ?? ref).toBe(ref);
      secretOf.set(pair, ref);
    }
    expect(new Set(secretOf.values()).size).toBe(secretOf.size);
  });

  it('sets every variable each app requires in production', () => {
    for (const app of APP_NAMES) {
      const c = containers.get(app)!;
      const given = [...c.Environment!, ...(c.Secrets ?? [])].map((x) => x.Name);
      expect({ app, missing: APP_ENVS[app].requiredInProduction.filter((n) => !given.includes(n)) }).toEqual({
        app,
        missing: [],
      });
    }
  });

  it('scales every service on CPU, and the two behind the ALB on requests per target', () => {
    s.template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 4);
    s.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      ScalableDimension: 'ecs:service:DesiredCount',
    });
    const policies = ofType(s.resources, 'AWS::ApplicationAutoScaling::ScalingPolicy').map(
      ([, p]) =>
        (
          p.TargetTrackingScalingPolicyConfiguration as {
            PredefinedMetricSpecification: { PredefinedMetricType: string };
          }
        ).PredefinedMetricSpecification.PredefinedMetricType,
    );
    expect(policies.filter((m) => m === 'ECSServiceAverageCPUUtilization')).toHaveLength(4);
    expect(policies.filter((m) => m === 'ALBRequestCountPerTarget')).toHaveLength(2);
  });

  it('runs the cluster with Container Insights and keeps logs in CloudWatch with a retention', () => {
    app.platform.template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
    for (const app of APP_NAMES) {
      s.template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/paychat/${app}`,
        RetentionInDays: 90,
      });
    }
  });

  it('defines the migration as a one-off task definition that no service runs', () => {
    const migrate = containers.get('migrate')!;
    expect(migrate.Command).toEqual(['node', 'dist/scripts/migrate.js']);
    expect(migrate.Secrets!.map((x) => x.Name).sort()).toEqual([
      'JANITOR_DB_PASSWORD',
      'LEGACY_DB_PASSWORD',
      'MIGRATOR_DB_PASSWORD',
      'MYSQL_URL',
      'WALLET_DB_PASSWORD',
    ]);
    const taskDef = logicalId(app.all, 'AWS::ECS::TaskDefinition', 'MigrateTask');
    for (const [, service] of ofType(app.all, 'AWS::ECS::Service')) {
      expect(service.TaskDefinition).not.toEqual({ Ref: taskDef });
    }
    app.platform.template.hasOutput('MigrateCommand', {
      Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
    });
  });

  it('pulls from one immutable, scanned ECR repository per app (the images stack)', () => {
    app.images.template.resourceCountIs('AWS::ECR::Repository', APP_NAMES.length);
    for (const name of APP_NAMES) {
      app.images.template.hasResourceProperties('AWS::ECR::Repository', {
        RepositoryName: `paychat/${name}`,
        ImageTagMutability: 'IMMUTABLE',
        ImageScanningConfiguration: { ScanOnPush: true },
      });
    }
  });
});
