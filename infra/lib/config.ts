import { Node } from 'constructs';

/** Federated sign-in, each optional; secrets are Secrets Manager names, never values in context. */
export interface IdentityProvidersConfig {
  google?: { clientId: string; clientSecretName: string };
  apple?: { servicesId: string; teamId: string; keyId: string; privateKeySecretName: string };
  saml?: { name: string; metadataUrl: string };
}

/** A line of the gateway's route table (the gateway validates it at boot). */
export interface GatewayRoute {
  prefix: string;
  upstream: string;
  [option: string]: unknown;
}

/** Prefixes under `old` carved out of the legacy app (sent elsewhere): the ALB must send them to the gateway. */
const carvedOutOf = (old: string) => (routes: GatewayRoute[]) =>
  routes.filter((r) => r.prefix.startsWith(`${old}/`) && r.upstream !== 'legacy').map((r) => r.prefix);

/** `/v1/…` prefixes carved out of the legacy app. */
export const carvedV1Prefixes = carvedOutOf('/v1');
/** `/admin/v1/…` prefixes carved out of the old admin screens. */
export const carvedAdminPrefixes = carvedOutOf('/admin/v1');

/**
 * Structural settings, read from CDK context (`infra/cdk.json`, or `-c key=value`). Values that change per
 * deploy without changing the template's shape (certificate, admin CIDRs, image tag) are CfnParameters.
 */
export interface PaychatConfig {
  account: string;
  region: string;
  /** Cognito hosted UI prefix (`<prefix>.auth.<region>.amazoncognito.com`); default `paychat-<account>`. */
  authDomainPrefix?: string;
  callbackUrls: string[];
  logoutUrls: string[];
  identityProviders: IdentityProvidersConfig;
  /**
   * Entries of the gateway's route table (GATEWAY_ROUTES, same JSON): carving a legacy route is one
   * entry here. `/v1/…` and `/admin/v1/…` prefixes sent elsewhere than legacy also get ALB rules to
   * the gateway.
   */
  gatewayRoutes: GatewayRoute[];
  /** The build output (`dist/`) holding `lambdas/user-migration/handler.js`; no trigger when unset. */
  userMigrationHandlerDir?: string;
  /** Who gets the alarms by email (a subscription to confirm once); the topic exists either way. */
  alarmEmail?: string;
}

export function readConfig(node: Node, defaultAccount?: string): PaychatConfig {
  const get = <T>(key: string): T | undefined => node.tryGetContext(`paychat:${key}`) as T | undefined;
  const list = (key: string): string[] => {
    const value = get<string[] | string>(key) ?? [];
    return typeof value === 'string' ? value.split(',') : value; // `-c` passes strings
  };
  const account = defaultAccount ?? get<string>('account');
  if (!account) throw new Error('Set the AWS account: context paychat:account (or deploy with credentials)');
  // `-c key=value` passes strings; cdk.json passes JSON values.
  const json = <T>(key: string): T | undefined => {
    const value = get<T | string>(key);
    return typeof value === 'string' ? (JSON.parse(value) as T) : value;
  };
  return {
    account,
    region: get<string>('region') ?? 'ap-northeast-1',
    authDomainPrefix: get<string>('authDomainPrefix'),
    callbackUrls: list('callbackUrls'),
    logoutUrls: list('logoutUrls'),
    gatewayRoutes: json<GatewayRoute[]>('gatewayRoutes') ?? [],
    identityProviders: json<IdentityProvidersConfig>('identityProviders') ?? {},
    userMigrationHandlerDir: get<string>('userMigrationHandlerDir'),
    alarmEmail: get<string>('alarmEmail'),
  };
}
