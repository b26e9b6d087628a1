import { Match } from 'aws-cdk-lib/assertions';
import { KEEP_ALIVE_TIMEOUT_MS } from '../../libs/platform/src/bootstrap';
import { DEREGISTRATION_DELAY } from '../lib/drain';
import { WAF_RATE_LIMIT } from '../lib/web-firewall';
import { logicalId, ofType, synth, Synthesized } from './synth';

const RULE = 'AWS::ElasticLoadBalancingV2::ListenerRule';
const TG = 'AWS::ElasticLoadBalancingV2::TargetGroup';

interface Condition {
  Field: string;
  PathPatternConfig?: { Values: string[] };
}
const isAdminPath = (p: string) => p === '/admin' || p.startsWith('/admin/');

describe('edge: ALB and WAF', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth().services;
  });

  const targetGroupOf = (service: string) => ({ Ref: logicalId(s.resources, TG, `Edge${service}`) });
  const forwardTo = (service: string) => [
    Match.objectLike({ Type: 'forward', TargetGroupArn: targetGroupOf(service) }),
  ];

  const adminRule = (priority: number, pattern: string, service: string) => ({
    Priority: priority,
    Conditions: [
      { Field: 'path-pattern', PathPatternConfig: { Values: [pattern] } },
      { Field: 'source-ip', SourceIpConfig: { Values: { Ref: 'AdminSourceCidrs' } } },
    ],
    Actions: forwardTo(service),
  });

  it('splits the strangler paths with explicit priorities', () => {
    expect(ofType(s.resources, RULE)).toHaveLength(7);
    s.template.hasResourceProperties(RULE, {
      Priority: 100,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/v1/*'] } }],
      Actions: forwardTo('Legacy'),
    });
    s.template.hasResourceProperties(RULE, {
      Priority: 300,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/v2/*'] } }],
      Actions: forwardTo('Gateway'),
    });
  });

  it('sends the old admin (/admin/v1/*) to legacy, from the admin CIDRs only', () => {
    s.template.hasResourceProperties(RULE, adminRule(190, '/admin/v1/*', 'Legacy'));
    s.template.hasParameter('AdminSourceCidrs', { Type: 'CommaDelimitedList' });
  });

  it('sends the new console’s page, assets and API to the gateway, from the admin CIDRs only', () => {
    s.template.hasResourceProperties(RULE, adminRule(200, '/admin/v2/*', 'Gateway'));
    s.template.hasResourceProperties(RULE, adminRule(201, '/admin', 'Gateway'));
    s.template.hasResourceProperties(RULE, adminRule(202, '/admin/assets/*', 'Gateway'));
    s.template.hasResourceProperties(RULE, adminRule(203, '/admin/', 'Gateway'));
    // The admin API's rule keeps the logical id of the former /admin/* rule: updated in place, at its
    // priority, so a deploy never leaves /admin/v2 without a rule nor two rules on one priority.
    expect(s.resources.EdgeAlbHttpsAdminRuleC2C9CF0F?.Properties).toMatchObject({
      Priority: 200,
      Conditions: expect.arrayContaining([
        { Field: 'path-pattern', PathPatternConfig: { Values: ['/admin/v2/*'] } },
      ]),
    });
  });

  it('lets no other admin path through, and no admin path without the CIDR condition', () => {
    const rules = ofType(s.resources, RULE).map(
      ([, p]) => p as { Priority: number; Conditions: Condition[] },
    );
    const admin = rules.filter((r) =>
      r.Conditions.some((c) => c.PathPatternConfig?.Values.some(isAdminPath)),
    );
    expect(admin.map((r) => r.Conditions.flatMap((c) => c.PathPatternConfig?.Values ?? [])).sort()).toEqual([
      ['/admin'],
      ['/admin/'],
      ['/admin/assets/*'],
      ['/admin/v1/*'],
      ['/admin/v2/*'],
    ]);
    for (const r of admin) {
      // One path beside the CIDRs: an ALB rule holds 5 condition values, so up to 4 CIDRs fit.
      expect(r.Conditions).toContainEqual({
        Field: 'source-ip',
        SourceIpConfig: { Values: { Ref: 'AdminSourceCidrs' } },
      });
      expect(r.Conditions).toHaveLength(2);
    }
  });

  it('serves HTTPS with the certificate parameter, redirects HTTP, answers 404 by default', () => {
    s.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: { Ref: 'CertificateArn' } }],
      SslPolicy: Match.stringLikeRegexp('TLS13'),
      DefaultActions: [
        Match.objectLike({
          Type: 'fixed-response',
          FixedResponseConfig: Match.objectLike({
            StatusCode: '404',
            ContentType: 'application/problem+json',
          }),
        }),
      ],
    });
    s.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [
        Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Port: '443' }) }),
      ],
    });
  });

  it('is internet-facing with an idle timeout below the apps’ keep-alive', () => {
    s.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'idle_timeout.timeout_seconds', Value: '60' }]),
    });
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(60_000);
  });

  it('health-checks readiness and drains for the deregistration delay', () => {
    const groups = ofType(s.resources, TG);
    expect(groups).toHaveLength(2);
    for (const [, props] of groups) {
      expect(props).toMatchObject({ HealthCheckPath: '/health/ready', TargetType: 'ip', Port: 3000 });
      expect(props.TargetGroupAttributes).toContainEqual({
        Key: 'deregistration_delay.timeout_seconds',
        Value: String(DEREGISTRATION_DELAY.toSeconds()),
      });
    }
  });

  it('runs the WAF on every request to the ALB, the admin paths included (no scope-down)', () => {
    const [[, acl]] = ofType(s.resources, 'AWS::WAFv2::WebACL');
    expect(JSON.stringify(acl)).not.toContain('ScopeDownStatement');
    expect(ofType(s.resources, 'AWS::WAFv2::WebACLAssociation')).toHaveLength(1);
  });

  it('puts a WAF with AWS managed rule groups and a rate rule in front of the ALB', () => {
    const managed = (name: string) =>
      Match.objectLike({
        Statement: { ManagedRuleGroupStatement: Match.objectLike({ VendorName: 'AWS', Name: name }) },
      });
    s.template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: Match.arrayWith([
        managed('AWSManagedRulesAmazonIpReputationList'),
        managed('AWSManagedRulesCommonRuleSet'),
        managed('AWSManagedRulesKnownBadInputsRuleSet'),
        managed('AWSManagedRulesSQLiRuleSet'),
        Match.objectLike({
          Statement: {
            RateBasedStatement: Match.objectLike({ Limit: WAF_RATE_LIMIT, AggregateKeyType: 'IP' }),
          },
          Action: { Block: Match.objectLike({ CustomResponse: Match.objectLike({ ResponseCode: 429 }) }) },
        }),
      ]),
    });
    s.template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { Ref: logicalId(s.resources, 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'EdgeAlb') },
      WebACLArn: { 'Fn::GetAtt': [logicalId(s.resources, 'AWS::WAFv2::WebACL', 'EdgeWaf'), 'Arn'] },
    });
  });
});
