import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { APP_PORT, AppService } from './app-service';
import { ALB_IDLE_TIMEOUT, DEREGISTRATION_DELAY } from './drain';
import { WebFirewall } from './web-firewall';

/**
 * Listener rule priorities (lower wins). The coarse strangler split, and before each old prefix the
 * prefixes already carved out of it, which go to the gateway (its route table does the fine split):
 * carved `/v1` prefixes before `/v1/*` → legacy; carved old-admin (`/admin/v1`) prefixes, two rules
 * each (the prefix, then below it), before `/admin/v1/*` → legacy. The new console's paths go to the
 * gateway. Every admin rule also requires the admin CIDRs.
 */
const RULE_PRIORITY = {
  firstCarved: 1,
  legacy: 100,
  firstCarvedAdmin: 101,
  adminLegacy: 190,
  adminApi: 200,
  adminConsole: 201,
  adminAssets: 202,
  adminConsoleSlash: 203,
  v2: 300,
} as const;

/**
 * The new console (gateway): the admin API it calls, its page and its bundled assets. By rule id:
 * `Admin` is the rule that sent all of `/admin/*` to the gateway before the old admin got its own,
 * updated in place at the same priority so the admin API is never without a rule during a deploy.
 */
const CONSOLE_RULES = [
  { id: 'Admin', priority: RULE_PRIORITY.adminApi, path: '/admin/v2/*' },
  { id: 'AdminConsole', priority: RULE_PRIORITY.adminConsole, path: '/admin' },
  { id: 'AdminAssets', priority: RULE_PRIORITY.adminAssets, path: '/admin/assets/*' },
  { id: 'AdminConsoleSlash', priority: RULE_PRIORITY.adminConsoleSlash, path: '/admin/' },
] as const;

export interface EdgeProps {
  vpc: ec2.IVpc;
  gateway: AppService;
  legacy: AppService;
  certificateArn: string;
  /**
   * Who may reach any admin path at all (the gateway and legacy still require the `admin` group).
   * At most 4: an ALB rule holds 5 condition values, and each admin rule has one path beside them.
   */
  adminSourceCidrs: string[];
  carvedV1Prefixes: string[];
  /** `/admin/v1/…` prefixes carved out of the old admin (to the gateway, hence the new services). */
  carvedAdminPrefixes: string[];
}

const problem = (status: number, code: string, title: string) =>
  elbv2.ListenerAction.fixedResponse(status, {
    contentType: 'application/problem+json',
    messageBody: JSON.stringify({ type: `urn:paychat:problem:${code}`, title, status, code }),
  });

/**
 * The internet-facing ALB: HTTPS only (port 80 redirects); carved `/v1` prefixes → gateway, `/v1/*` →
 * legacy, `/v2/*` → gateway; from the admin CIDRs only: carved `/admin/v1` prefixes → gateway,
 * `/admin/v1/*` (the old admin) → legacy, `/admin` (and `/admin/`), `/admin/assets/*` and `/admin/v2/*`
 * (the new console) → gateway. Anything else (including `/internal/*`, `/health/*` and other `/admin` paths) is
 * a 404 problem+json from the ALB itself. WAF in front of all of it.
 */
export class Edge extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The target groups of the two services the ALB sends to (their metrics are those services' view from the edge). */
  readonly targetGroups: { gateway: elbv2.ApplicationTargetGroup; legacy: elbv2.ApplicationTargetGroup };

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'paychat ALB: HTTPS from anywhere, out only to the gateway and legacy tasks',
      allowAllOutbound: false,
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup,
      idleTimeout: ALB_IDLE_TIMEOUT,
      dropInvalidHeaderFields: true,
      deletionProtection: true,
    });
    this.loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443 });
    const listener = this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [elbv2.ListenerCertificate.fromArn(props.certificateArn)],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      defaultAction: problem(404, 'not_found', 'Not Found'),
      open: true,
    });

    const gateway = this.targetGroup('Gateway', props.vpc, props.gateway);
    const legacy = this.targetGroup('Legacy', props.vpc, props.legacy);
    this.targetGroups = { gateway, legacy };
    const path = elbv2.ListenerCondition.pathPatterns;
    props.carvedV1Prefixes.forEach((prefix, i) => {
      if (!/^\/v1(\/[A-Za-z0-9_-]+)+$/.test(prefix) || i >= RULE_PRIORITY.legacy - 1)
        throw new Error(`carved prefix ${prefix}: expected /v1/…, at most 99 of them`);
      listener.addTargetGroups(`Carved${i}`, {
        priority: RULE_PRIORITY.firstCarved + i,
        conditions: [path([prefix, `${prefix}/*`])],
        targetGroups: [gateway],
      });
    });
    listener.addTargetGroups('Legacy', {
      priority: RULE_PRIORITY.legacy,
      conditions: [path(['/v1/*'])],
      targetGroups: [legacy],
    });
    // One path per admin rule: with the CIDRs beside it, an ALB rule holds at most 5 values.
    const admin = (id: string, priority: number, pattern: string, target: elbv2.ApplicationTargetGroup) =>
      listener.addTargetGroups(id, {
        priority,
        conditions: [path([pattern]), elbv2.ListenerCondition.sourceIps(props.adminSourceCidrs)],
        targetGroups: [target],
      });
    // Two rules per prefix, all below the old admin's own: 44 prefixes fill 101–188.
    const carvesLeft = Math.floor((RULE_PRIORITY.adminLegacy - RULE_PRIORITY.firstCarvedAdmin) / 2);
    props.carvedAdminPrefixes.forEach((prefix, i) => {
      if (!/^\/admin\/v1(\/[A-Za-z0-9_-]+)+$/.test(prefix) || i >= carvesLeft)
        throw new Error(`carved admin prefix ${prefix}: expected /admin/v1/…, at most ${carvesLeft} of them`);
      admin(`CarvedAdmin${i}`, RULE_PRIORITY.firstCarvedAdmin + 2 * i, prefix, gateway);
      admin(`CarvedAdmin${i}Below`, RULE_PRIORITY.firstCarvedAdmin + 2 * i + 1, `${prefix}/*`, gateway);
    });
    admin('AdminLegacy', RULE_PRIORITY.adminLegacy, '/admin/v1/*', legacy);
    for (const rule of CONSOLE_RULES) admin(rule.id, rule.priority, rule.path, gateway);
    listener.addTargetGroups('V2', {
      priority: RULE_PRIORITY.v2,
      conditions: [path(['/v2/*'])],
      targetGroups: [gateway],
    });
    props.gateway.scaleOnRequests(gateway, 1000);
    props.legacy.scaleOnRequests(legacy, 500);

    new WebFirewall(this, 'Waf', { loadBalancer: this.loadBalancer });
  }

  private targetGroup(id: string, vpc: ec2.IVpc, app: AppService): elbv2.ApplicationTargetGroup {
    return new elbv2.ApplicationTargetGroup(this, id, {
      vpc,
      port: APP_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      targets: [app.service],
      deregistrationDelay: DEREGISTRATION_DELAY,
      healthCheck: {
        path: '/health/ready',
        healthyHttpCodes: '200',
        interval: Duration.seconds(10),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });
  }
}
