import { Match } from 'aws-cdk-lib/assertions';
import { KEEP_ALIVE_TIMEOUT_MS } from '../../libs/platform/src/bootstrap';
import { DEREGISTRATION_DELAY } from '../lib/drain';
import { WAF_RATE_LIMIT } from '../lib/web-firewall';
import { logicalId, ofType, synth, Synthesized } from './synth';

const RULE = 'AWS::ElasticLoadBalancingV2::ListenerRule';
const TG = 'AWS::ElasticLoadBalancingV2::TargetGroup';

describe('edge: ALB and WAF', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth().services;
  });

  const targetGroupOf = (service: string) => ({ Ref: logicalId(s.resources, TG, `Edge${service}`) });
  const forwardTo = (service: string) => [
    Match.objectLike({ Type: 'forward', TargetGroupArn: targetGroupOf(service) }),
  ];

  it('splits the strangler paths with explicit priorities', () => {
    expect(ofType(s.resources, RULE)).toHaveLength(3);
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

  it('lets /admin/* through to the gateway only from the configured CIDRs', () => {
    s.template.hasResourceProperties(RULE, {
      Priority: 200,
      Conditions: Match.arrayWith([
        { Field: 'path-pattern', PathPatternConfig: { Values: ['/admin/*'] } },
        { Field: 'source-ip', SourceIpConfig: { Values: { Ref: 'AdminSourceCidrs' } } },
      ]),
      Actions: forwardTo('Gateway'),
    });
    s.template.hasParameter('AdminSourceCidrs', { Type: 'CommaDelimitedList' });
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
