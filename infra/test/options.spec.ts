import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { logicalId, synth, Synthesized } from './synth';

const CARVED = [
  {
    prefix: '/v1/balance',
    method: 'GET',
    upstream: 'wallet',
    auth: 'legacy-session',
    rewrite: '/internal/legacy/users/{legacyUserId}/balance',
  },
  { prefix: '/v1/transfers', upstream: 'wallet' },
  // The old admin's user list, answered by the new admin API (README: moving an admin operation).
  { prefix: '/admin/v1/users', upstream: 'wallet', rewrite: '/admin/v2/users' },
];

/** Optional features: federated identity providers, the user-migration trigger, carved /v1 routes, alarm email. */
describe('options', () => {
  let s: Synthesized;
  let services: Synthesized;
  beforeAll(() => {
    const root = join(__dirname, '..', 'cdk.out');
    mkdirSync(root, { recursive: true });
    const handlerDir = mkdtempSync(join(root, 'user-migration-'));
    mkdirSync(join(handlerDir, 'lambdas', 'user-migration'), { recursive: true });
    writeFileSync(
      join(handlerDir, 'lambdas', 'user-migration', 'handler.js'),
      'exports.handler = async (event) => event;\n',
    );
    try {
      const app = synth({
        'paychat:userMigrationHandlerDir': handlerDir,
        'paychat:identityProviders': {
          google: { clientId: 'google-client-id', clientSecretName: 'paychat/idp/google' },
          saml: { name: 'Corp', metadataUrl: 'https://idp.example.com/metadata.xml' },
        },
        'paychat:gatewayRoutes': CARVED,
        'paychat:alarmEmail': 'oncall@example.com',
      });
      s = app.platform;
      services = app.services;
    } finally {
      rmSync(handlerDir, { recursive: true, force: true });
    }
  });

  it('adds the configured identity providers and lets the app client use them', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderType: 'Google',
      ProviderDetails: Match.objectLike({
        client_id: 'google-client-id',
        client_secret: Match.stringLikeRegexp('resolve:secretsmanager:paychat/idp/google'),
      }),
    });
    s.template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderType: 'SAML',
      ProviderName: 'Corp',
    });
    const idp = (prefix: string) => ({
      Ref: logicalId(s.resources, 'AWS::Cognito::UserPoolIdentityProvider', prefix),
    });
    s.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      SupportedIdentityProviders: ['COGNITO', idp('AuthGoogle'), idp('AuthSaml')],
    });
  });

  it('attaches the user-migration and pre-sign-up Lambdas as the pool’s triggers, inside the VPC', () => {
    const arn = (prefix: string) => ({
      'Fn::GetAtt': [logicalId(s.resources, 'AWS::Lambda::Function', prefix), 'Arn'],
    });
    s.template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: { UserMigration: arn('AuthUserMigration'), PreSignUp: arn('AuthPreSignUp') },
    });
    for (const name of ['user-migration', 'pre-sign-up'])
      s.template.hasResourceProperties('AWS::Lambda::Function', {
        Handler: `lambdas/${name}/handler.handler`,
        Runtime: 'nodejs22.x',
        Environment: {
          Variables: Match.objectLike({
            LEGACY_URL: 'http://legacy.paychat.local:3000',
            USER_MIGRATION_SECRET_ARN: Match.anyValue(),
          }),
        },
        VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
      });
  });

  it('hands the carved routes to the gateway as GATEWAY_ROUTES', () => {
    services.template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([
        Match.objectLike({
          Name: 'gateway',
          Environment: Match.arrayWith([{ Name: 'GATEWAY_ROUTES', Value: JSON.stringify(CARVED) }]),
        }),
      ]),
    });
  });

  it('sends carved /v1 prefixes to the gateway, ahead of the legacy rule', () => {
    const gateway = {
      Ref: logicalId(services.resources, 'AWS::ElasticLoadBalancingV2::TargetGroup', 'EdgeGateway'),
    };
    ['/v1/balance', '/v1/transfers'].forEach((prefix, i) => {
      services.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        Priority: 1 + i,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [prefix, `${prefix}/*`] } }],
        Actions: [Match.objectLike({ Type: 'forward', TargetGroupArn: gateway })],
      });
    });
  });

  it('carves at most 44 /admin/v1 prefixes: two rules each fill 101–188, below the old admin at 190', () => {
    const carve = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ prefix: `/admin/v1/page${i}`, upstream: 'wallet' }));
    const rules = synth({ 'paychat:gatewayRoutes': carve(44) }).services.template.findResources(
      'AWS::ElasticLoadBalancingV2::ListenerRule',
    );
    const priorities = Object.values(rules).map((r) => (r.Properties as { Priority: number }).Priority);
    expect(new Set(priorities).size).toBe(priorities.length);
    expect(Math.max(...priorities.filter((p) => p < 190))).toBe(188);
    expect(() => synth({ 'paychat:gatewayRoutes': carve(45) })).toThrow(/at most 44 of them/);
  });

  it('sends a carved /admin/v1 prefix to the gateway ahead of the old admin, from the admin CIDRs only', () => {
    const group = (id: string) => ({
      Ref: logicalId(services.resources, 'AWS::ElasticLoadBalancingV2::TargetGroup', id),
    });
    const rule = (priority: number, pattern: string, target: string) => ({
      Priority: priority,
      Conditions: [
        { Field: 'path-pattern', PathPatternConfig: { Values: [pattern] } },
        { Field: 'source-ip', SourceIpConfig: { Values: { Ref: 'AdminSourceCidrs' } } },
      ],
      Actions: [Match.objectLike({ Type: 'forward', TargetGroupArn: group(target) })],
    });
    const RULE = 'AWS::ElasticLoadBalancingV2::ListenerRule';
    services.template.hasResourceProperties(RULE, rule(101, '/admin/v1/users', 'EdgeGateway'));
    services.template.hasResourceProperties(RULE, rule(102, '/admin/v1/users/*', 'EdgeGateway'));
    services.template.hasResourceProperties(RULE, rule(190, '/admin/v1/*', 'EdgeLegacy'));
    // Not a /v1 carve: the /v1 rules stay the two carved above.
    services.template.resourcePropertiesCountIs(
      RULE,
      {
        Conditions: Match.arrayWith([
          { Field: 'path-pattern', PathPatternConfig: { Values: Match.arrayWith(['/admin/v1/users']) } },
        ]),
      },
      1,
    );
  });

  it('subscribes the configured address to the alarm topic', () => {
    services.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: { Ref: logicalId(services.resources, 'AWS::SNS::Topic', 'ObservabilityAlarmTopic') },
    });
  });
});
