import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/**
 * Requests per IP per 5 minutes (about 67/s) before WAF answers 429: a flood guard with room for carrier
 * NAT, where many phones share one address. The gateway's per-user and per-IP limits are the fine ones.
 */
export const WAF_RATE_LIMIT = 20_000;

const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
  metricName,
  cloudWatchMetricsEnabled: true,
  sampledRequestsEnabled: true,
});

const managed = (name: string, priority: number, countOnly: string[] = []): wafv2.CfnWebACL.RuleProperty => ({
  name,
  priority,
  overrideAction: { none: {} },
  statement: {
    managedRuleGroupStatement: {
      vendorName: 'AWS',
      name,
      ruleActionOverrides: countOnly.length
        ? countOnly.map((rule) => ({ name: rule, actionToUse: { count: {} } }))
        : undefined,
    },
  },
  visibilityConfig: visibility(name),
});

/** AWS managed rule groups plus a per-IP rate rule, on the ALB. */
export class WebFirewall extends Construct {
  constructor(scope: Construct, id: string, props: { loadBalancer: elbv2.IApplicationLoadBalancer }) {
    super(scope, id);
    const acl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: 'paychat',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('paychat'),
      customResponseBodies: {
        'rate-limited': {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            type: 'urn:paychat:problem:rate_limited',
            status: 429,
            code: 'rate_limited',
          }),
        },
      },
      rules: [
        managed('AWSManagedRulesAmazonIpReputationList', 10),
        // The apps accept JSON bodies up to 1 MiB and answer 413 themselves; WAF's 8 KB body rule only counts.
        managed('AWSManagedRulesCommonRuleSet', 20, ['SizeRestrictions_BODY']),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 30),
        managed('AWSManagedRulesSQLiRuleSet', 40),
        {
          name: 'RatePerIp',
          priority: 50,
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: 'rate-limited',
                responseHeaders: [{ name: 'retry-after', value: '60' }],
              },
            },
          },
          statement: {
            rateBasedStatement: { limit: WAF_RATE_LIMIT, aggregateKeyType: 'IP', evaluationWindowSec: 300 },
          },
          visibilityConfig: visibility('RatePerIp'),
        },
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.loadBalancer.loadBalancerArn,
      webAclArn: acl.attrArn,
    });
  }
}
