import { Node } from 'constructs';

/** Federated sign-in, each optional; secrets are Secrets Manager names, never values in context. */
export interface IdentityProvidersConfig {
  google?: { clientId: string; clientSecretName: string };
  apple?: { servicesId: string; teamId: string; keyId: string; privateKeySecretName: string };
  saml?: { name: string; metadataUrl: string };
}

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
  /** `/v1/…` prefixes carved out of the legacy app: the ALB sends them to the gateway (its route table). */
  carvedV1Prefixes: string[];
  /** Directory holding the user-migration Lambda's `handler.js`; no trigger when unset. */
  userMigrationHandlerDir?: string;
}

export function readConfig(node: Node, defaultAccount?: string): PaychatConfig {
  const get = <T>(key: string): T | undefined => node.tryGetContext(`paychat:${key}`) as T | undefined;
  const list = (key: string): string[] => {
    const value = get<string[] | string>(key) ?? [];
    return typeof value === 'string' ? value.split(',') : value; // `-c` passes strings
  };
  const account = defaultAccount ?? get<string>('account');
  if (!account) throw new Error('Set the AWS account: context paychat:account (or deploy with credentials)');
  const idps = get<IdentityProvidersConfig | string>('identityProviders') ?? {};
  return {
    account,
    region: get<string>('region') ?? 'ap-northeast-1',
    authDomainPrefix: get<string>('authDomainPrefix'),
    callbackUrls: list('callbackUrls'),
    logoutUrls: list('logoutUrls'),
    carvedV1Prefixes: list('carvedV1Prefixes'),
    identityProviders: typeof idps === 'string' ? (JSON.parse(idps) as IdentityProvidersConfig) : idps,
    userMigrationHandlerDir: get<string>('userMigrationHandlerDir'),
  };
}
